"""Notices the bot must deliver (to the comms chief, a requester, a channel), kept until they go through.

The core decides what to say and to whom (`Recipient`); a platform's `Notifier` decides how. A notice is
stored before anything is sent, so a failing or slow chat platform API, a restart or a crash loses
nothing: the worker retries with exponential backoff, and a lease keeps two replicas from sending the
same notice at once.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol
from collections.abc import Awaitable, Callable

from .store import Store, now
from .tasks import cancel_and_wait

log = logging.getLogger("guidebot.outbox")

# Recipients: {"kind": "user", "address": id}, {"kind": "channel", "address": id},
# or {"kind": "role", "address": "comms_chief" | "comms_channel"} resolved from the settings when sent.
Recipient = dict[str, str]


def user(address: str) -> Recipient:
    return {"kind": "user", "address": address}


def channel(address: str) -> Recipient:
    return {"kind": "channel", "address": address}


def role(name: str) -> Recipient:
    return {"kind": "role", "address": name}


class DeliveryError(RuntimeError):
    """The platform did not take the notice (error, timeout, no address yet); it will be retried."""


class Notifier(Protocol):
    """Implemented by each platform adapter: deliver one notice, raise DeliveryError if it did not go."""

    async def send(self, recipient: Recipient, kind: str, payload: dict[str, Any]) -> str | None:
        """Delivers; returns where the notice landed (a message reference a reply can name) if the
        platform says."""
        ...

    async def can_reach(self, recipient: Recipient) -> bool:
        """Whether the platform knows where this recipient is (without sending anything)."""
        ...


SentHook = Callable[[dict[str, Any]], Awaitable[None]]


class Outbox:
    def __init__(self, store: Store, notifiers: dict[str, Notifier] | None = None, *, base_delay: float = 2.0,
                 max_delay: float = 300.0, poll_interval: float = 1.0, lease_seconds: float = 60.0) -> None:
        self.store = store
        self.notifiers: dict[str, Notifier] = dict(notifiers or {})
        self.base_delay, self.max_delay = base_delay, max_delay
        self.poll_interval, self.lease_seconds = poll_interval, lease_seconds
        self.on_sent: list[SentHook] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[int] = set()
        self._stopping = False

    async def put(self, platform: str, recipient: Recipient, kind: str, payload: dict[str, Any]) -> int:
        notice_id = await self.store.enqueue(platform, recipient, kind, payload)
        self.wake()
        return notice_id

    def wake(self) -> None:
        """Notices were queued (here or in another transaction of the caller's): send them now."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="guidebot-outbox")

    async def stop(self, grace: float = 5.0) -> None:
        """Stops the worker after the notice in hand (cancelling a database write half-way can leave its
        row locked until the pool closes); claimed notices not yet tried go back to the queue at once."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
            except TimeoutError:
                log.warning("outbox worker did not finish within %.0fs; cancelling it", grace)
        await cancel_and_wait(self._task)
        self._task = None
        if self._in_flight:
            await self.store.release(sorted(self._in_flight))
            self._in_flight.clear()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # the worker must outlive a database hiccup
                log.exception("outbox round failed; retrying")
            if self._stopping:
                return
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            except TimeoutError:
                pass

    async def deliver_due(self) -> int:
        """Sends what is due now; returns how many went through."""
        sent = 0
        rows = await self.store.claim_due(limit=20, lease_seconds=self.lease_seconds)
        self._in_flight.update(row["id"] for row in rows)
        for row in rows:
            if self._stopping:
                break  # the rest stay in _in_flight and are released by stop()
            if await self._deliver(row):
                sent += 1
            self._in_flight.discard(row["id"])
        return sent

    async def _deliver(self, row: dict[str, Any]) -> bool:
        notifier = self.notifiers.get(row["platform"])
        try:
            if notifier is None:
                raise DeliveryError(f"no {row['platform']} connection is configured")
            delivered = await asyncio.wait_for(notifier.send(row["recipient"], row["kind"], row["payload"]), timeout=30)
        except Exception as exc:  # any failure is retried; the reason is kept on the row
            delay = min(self.max_delay, self.base_delay * 2 ** row["attempts"])
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("notice %s (%s) not delivered, attempt %s, retry in %.0fs: %s",
                        row["id"], row["kind"], row["attempts"] + 1, delay, reason)
            await self.store.mark_failed(row["id"], reason, now() + delay)
            return False
        await self.store.mark_sent(row["id"])
        row = {**row, "delivered_as": delivered}
        for hook in self.on_sent:
            try:
                await hook(row)
            except Exception:
                log.exception("after-send hook failed for notice %s", row["id"])
        return True
