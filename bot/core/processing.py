"""Handling recorded events in a process of their own (`serve` with `server.processing = "separate"`).

The acknowledging process only verifies, records and acks; this loop claims the recorded events from the
inbox, oldest first, a few at a time, and hands each to the dispatcher. The backlog stays in the
database, not in memory: at most `handlers + prefetch` events are claimed and not yet handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.core.dispatch import Dispatcher
from bot.core.messages import event_from_dict

log = logging.getLogger("bot.processing")


class ClaimStore(Protocol):
    async def claim(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """Take up to `limit` recorded events for handling, oldest first: (inbox id, event)."""

    async def release_stale(self, claimed_before: datetime) -> int:
        """Give claims older than `claimed_before` back (their process died); returns how many."""

    async def handled(self, inbox_id: int) -> None:
        """After the event's handling committed (a no-op where that transaction marked the row itself)."""

    async def failed(self, inbox_id: int) -> None:
        """The handling raised: keep the event for a person, never claim it again."""


class InboxProcessor:
    """Call `wake()` when an event was recorded (the acknowledging process writes to a pipe); without a
    wake-up the inbox is still polled every `poll_seconds`, which also picks up events other
    processes recorded and claims that expired."""

    def __init__(self, dispatcher: Dispatcher, store: ClaimStore, clock: Callable[[], datetime], *, handlers: int = 1,
                 prefetch: int = 4, poll_seconds: float = 0.5, lease_seconds: float = 60.0,
                 observe: Callable[[float], None] | None = None) -> None:
        self.dispatcher = dispatcher
        self.store = store
        self.clock = clock
        self.handlers = max(1, handlers)
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self._queue: asyncio.Queue[tuple[int, dict[str, Any]]] = asyncio.Queue(maxsize=max(1, prefetch))
        self._wake = asyncio.Event()
        self._stopping = False
        self._stop_by = 0.0
        self.handled = 0
        self.observe = observe  # seconds each event took to handle (a metric)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, within: float = 10.0) -> None:
        """Stop claiming once every event recorded so far is claimed, or after `within` seconds (a long
        backlog stays recorded for the next start: a shutdown must not take minutes); `run` returns when
        the claimed events are handled."""
        self._stopping = True
        self._stop_by = asyncio.get_running_loop().time() + within
        self._wake.set()

    async def run(self) -> None:
        workers = [asyncio.create_task(self._handle_queued()) for _ in range(self.handlers)]
        try:
            await self._feed()
            await self._queue.join()  # what was claimed is handled before we return
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _feed(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        while True:
            if loop.time() >= next_sweep:
                next_sweep = loop.time() + self.lease_seconds / 4
                await self._release_stale()
            self._wake.clear()  # before claiming: a wake-up during the claim is not lost
            limit = max(1, self._queue.maxsize - self._queue.qsize())
            rows = await self._claim(limit)
            for row in rows:
                await self._queue.put(row)  # waits for a handler when the queue is full
            if self._stopping and (len(rows) < limit or loop.time() >= self._stop_by):
                return  # all recorded is claimed, or time is up (the rest is handled at the next start)
            if len(rows) < limit:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def _claim(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        try:
            return await self.store.claim(limit)
        except Exception:  # a dropped connection: the events stay recorded; try again at the next poll
            log.exception("claiming recorded events failed")
            return []

    async def _release_stale(self) -> None:
        try:
            released = await self.store.release_stale(self.clock() - timedelta(seconds=self.lease_seconds))
        except Exception:
            log.exception("releasing expired claims failed")
            return
        if released:
            log.warning("%d events claimed by a process that stopped are queued again", released)

    async def _handle_queued(self) -> None:
        while True:
            inbox_id, event = await self._queue.get()
            started = time.perf_counter()
            try:
                await self.dispatcher.handle(event_from_dict(event))
            except Exception:  # the dispatcher answers errors itself; this is the last guard
                log.exception("event handling failed", extra={"event_key": event.get("event_key")})
                await self._settle(self.store.failed(inbox_id))  # not claimed again and again
            else:
                self.handled += 1
                if self.observe is not None:
                    self.observe(time.perf_counter() - started)
                await self._settle(self.store.handled(inbox_id))
            finally:
                self._queue.task_done()

    @staticmethod
    async def _settle(marking: Awaitable[None]) -> None:
        """A mark that fails leaves the claim to expire: the event is taken again and found handled."""
        try:
            await marking
        except Exception:
            log.exception("marking a claimed event failed")
