"""The core's own worker threads, apart from the event loop's default executor.

Platform SDKs put their blocking network calls on the default executor; if a platform is slow or down
those threads are busy. Answers, index builds and version loads never queue behind them.
"""
from __future__ import annotations

import asyncio
import threading
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


async def in_daemon_thread(function: Callable[..., T], *args: Any) -> T:
    """Runs seconds of model work without holding up a shutdown: the loop's executor threads are joined
    when the process stops, a daemon thread is not (its work is simply redone by the next start)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            result = function(*args)
        except BaseException as error:  # handed to the waiting coroutine, not lost in the thread
            loop.call_soon_threadsafe(_settle, future, None, error)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=run, name="guidebot-semantic", daemon=True).start()
    return await future


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
