"""Outbox worker: claim due rows with a lease, send through the platform's sender, mark or retry."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

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
    async def delivered(self, item_id: int, now: datetime) -> None: ...
    async def retry(self, item_id: int, at: datetime, error: str, dead: bool) -> None: ...


class Resolver(Protocol):
    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """The platform and concrete address for a push to a user or team; None when unreachable."""


class OutboxWorker:
    def __init__(self, store: OutboxStore, senders: Mapping[str, PlatformSender], clock: Callable[[], datetime],
                 *, resolver: Resolver | None = None, max_attempts: int = 8) -> None:
        self.store = store
        self.senders = senders
        self.clock = clock
        # Pushes to a user or a team (rows without a platform) need an address book to be delivered.
        self.resolver = resolver
        self.max_attempts = max_attempts

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
            if not items:
                return delivered
            for item in items:
                delivered += await self._deliver(item)

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
            await self.store.delivered(item.id, now)
            return 1
        dead = isinstance(result, Rejected) or item.attempts >= self.max_attempts
        delay = getattr(result, "after", None) or self._backoff(item.attempts)
        await self.store.retry(item.id, now + delay, result.error, dead)
        return 0

    @staticmethod
    def _backoff(attempts: int) -> timedelta:
        """Exponential backoff with full jitter, capped at ten minutes."""
        return timedelta(seconds=random.uniform(0, min(600.0, 2.0 ** attempts)))
