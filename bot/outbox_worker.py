"""Outbox worker: claim due rows with a lease, send through the platform's sender, mark or retry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot import metrics
from bot.adapters.base import Delivered, PlatformSender, Rejected, RetryLater, SendResult
from bot.core.replies import load

log = logging.getLogger("bot.outbox")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    platform: str | None
    target: Mapping[str, Any]
    payload: Mapping[str, Any]
    attempts: int


class OutboxStore(Protocol):
    async def claim(self, now: datetime, limit: int, platforms: Sequence[str | None]) -> list[OutboxItem]: ...
    async def delivered(self, item_ids: Sequence[int], now: datetime) -> None: ...
    async def retry(self, item_id: int, at: datetime, error: str, dead: bool, refund: bool = False) -> None: ...


class DeadLetterReporter(Protocol):
    """Optional on a store: tell the admins (once a day) that pushes were dead-lettered."""

    async def report_dead(self, now: datetime) -> None: ...


def _recipient_key(item: OutboxItem) -> str:
    target = item.target
    return "|".join(str(target.get(k)) for k in ("kind", "platform", "channel", "thread", "name", "user")) + (
        f"|{item.platform}")


class Resolver(Protocol):
    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """The platform and concrete address for a push to a user or team; None when unreachable."""


class OutboxWorker:
    def __init__(self, store: OutboxStore, senders: Mapping[str, PlatformSender], clock: Callable[[], datetime],
                 *, resolver: Resolver | None = None, max_attempts: int = 8, concurrency: int = 1,
                 backoff_scale: float = 1.0) -> None:
        self.store = store
        self.senders = senders
        self.clock = clock
        # Pushes to a user or a team (rows without a platform) need an address book to be delivered.
        self.resolver = resolver
        self.max_attempts = max_attempts
        # Sends in flight at once: a platform round trip is tens of milliseconds, a database mark one.
        self.concurrency = max(1, concurrency)
        self.backoff_scale = backoff_scale  # tests and benchmarks shrink the retry delays
        self._died = False
        # Delivered rows are marked in groups: every send that finished while the previous UPDATE was
        # in flight goes into the next one (one transaction per row capped the worker at ~400/s).
        self._to_mark: list[int] = []
        self._marking: asyncio.Task[None] | None = None

    def _platforms(self) -> list[str | None]:
        platforms: list[str | None] = list(self.senders)
        if self.resolver is not None:
            platforms.append(None)
        return platforms

    async def drain(self, limit: int = 100) -> int:
        """Deliver everything due now; returns how many were delivered."""
        delivered = 0
        while True:
            items = await self.store.claim(self.clock(), limit, self._platforms())
            if self.concurrency == 1:
                for item in items:
                    delivered += await self._deliver(item)
            else:
                delivered += await self._deliver_many(items)
            await self._marks_written()
            # A short batch was everything due when it was claimed: no second claim to find nothing (rows
            # committed since then kick the next drain).
            if len(items) < limit:
                await self._report_dead()
                return delivered

    async def _deliver_many(self, items: Sequence[OutboxItem]) -> int:
        """Different recipients side by side; one recipient's messages in order, one at a time (and a
        recipient waiting for its rate limit does not hold up the others)."""
        gate = asyncio.Semaphore(self.concurrency)
        queues: dict[str, list[OutboxItem]] = {}
        for item in items:
            queues.setdefault(_recipient_key(item), []).append(item)

        async def in_order(queue: list[OutboxItem]) -> int:
            done = 0
            for item in queue:
                async with gate:
                    done += await self._deliver(item)
            return done

        return sum(await asyncio.gather(*(in_order(queue) for queue in queues.values())))

    async def run_forever(self, stop_event: asyncio.Event, poll_interval: float = 1.0) -> None:
        """Drain, then wait for the next poll, until `stop_event` is set; a failing round is logged."""
        while not stop_event.is_set():
            try:
                await self.drain()
            except Exception:  # the database may be away for a moment: keep polling
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_event.wait(), timeout=poll_interval)

    async def _report_dead(self) -> None:
        reporter = getattr(self.store, "report_dead", None)
        if self._died and reporter is not None:
            self._died = False
            try:
                await reporter(self.clock())
            except Exception:
                log.exception("could not report dead-lettered pushes")

    async def _deliver(self, item: OutboxItem) -> int:
        platform, target = item.platform, dict(item.target)
        now = self.clock()
        if platform is None and self.resolver is not None:
            resolved = await self.resolver.resolve(item.target)
            if resolved is None:
                await self.store.retry(item.id, now, f"no platform address for {item.target}", True)
                return 0
            platform, target = resolved
        sender = self.senders.get(platform or "")
        if sender is None:
            await self.store.retry(item.id, now, f"no sender for {platform}", True)
            return 0
        result: SendResult
        try:
            result = await sender.send(target, load(item.payload))
        except Exception as exc:  # a sender bug must not stop the worker
            log.exception("sender failed", extra={"outbox_id": item.id})
            result = RetryLater(repr(exc))
        if isinstance(result, Delivered):
            metrics.DELIVERIES.labels(platform, "delivered").inc()
            self._mark_delivered(item.id)
            return 1
        throttled = isinstance(result, RetryLater) and result.throttled
        dead = isinstance(result, Rejected) or (item.attempts >= self.max_attempts and not throttled)
        metrics.DELIVERIES.labels(platform, "dead" if dead else "throttled" if throttled else "retry").inc()
        self._died = self._died or dead
        delay = getattr(result, "after", None) or self._backoff(item.attempts) * self.backoff_scale
        await self.store.retry(item.id, now + delay, result.error, dead, throttled)
        return 0

    def _mark_delivered(self, item_id: int) -> None:
        self._to_mark.append(item_id)
        if self._marking is None:
            self._marking = asyncio.create_task(self._write_marks())

    async def _write_marks(self) -> None:
        try:
            while self._to_mark:
                ids, self._to_mark = self._to_mark, []
                try:
                    await self.store.delivered(ids, self.clock())
                except Exception:  # the rows stay leased and go out again when the lease ends: a duplicate
                    log.exception("could not mark %d delivered rows", len(ids))
        finally:
            self._marking = None

    async def _marks_written(self) -> None:
        """Wait until every delivered row so far is marked (the end of a batch, and of a drain)."""
        while self._marking is not None:
            await asyncio.shield(self._marking)

    @staticmethod
    def _backoff(attempts: int) -> timedelta:
        """Exponential backoff with full jitter, capped at ten minutes."""
        return timedelta(seconds=random.uniform(0, min(600.0, 2.0 ** attempts)))


async def deliver_until(worker: OutboxWorker, kick: asyncio.Event, stop: asyncio.Event,
                        poll_seconds: float = 0.05, min_gap_seconds: float = 0.01) -> None:
    """Deliver as soon as something is committed (`kick`) and at least every `poll_seconds`; once `stop`
    is set, deliver what is due one last time (the replies of the last events handled) and return.

    Drains start at most every `min_gap_seconds`: a drain costs a claim and a mark (two transactions)
    however few rows it carries, so under load the replies committed meanwhile share them, and a
    quiet bot still answers at once."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        began = loop.time()
        await _drain_logged(worker)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(kick.wait(), poll_seconds)
        rest = began + min_gap_seconds - loop.time()
        if rest > 0 and not stop.is_set():
            await asyncio.sleep(rest)
        kick.clear()
    await _drain_logged(worker)


async def _drain_logged(worker: OutboxWorker) -> None:
    try:
        await worker.drain()
    except Exception:
        log.exception("outbox worker pass failed")
