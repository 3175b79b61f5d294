"""What every adapter's sender returns, and the sender interface the outbox worker calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from bot.core.replies import Reply


@dataclass(frozen=True, slots=True)
class Delivered:
    platform_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class RetryLater:
    error: str
    after: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A permanent refusal: the message is dead-lettered."""

    error: str


SendResult = Delivered | RetryLater | Rejected


class PlatformSender(Protocol):
    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult: ...
