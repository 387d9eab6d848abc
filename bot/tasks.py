"""Background loops of the service (outbox, live-version watch, retention)."""
from __future__ import annotations

import asyncio


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Stops a background loop and waits until it has, so a shutdown never leaves one half-way."""
    if task is None:
        return
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
