"""The core's own worker threads, apart from the event loop's default executor.

Platform SDKs put their blocking network calls on the default executor; if a platform is slow or down
those threads are busy. Answers, index builds and version loads never queue behind them.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
ANSWERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="guidebot-answer")
WORK = ThreadPoolExecutor(max_workers=2, thread_name_prefix="guidebot-work")  # index builds, version loads


async def answer_thread(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(ANSWERS, function, *args)


async def work_thread(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(WORK, function, *args)
