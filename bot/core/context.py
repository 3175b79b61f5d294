"""What a handler gets besides its arguments: who asks, in which language and zone, and the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from bot.core.messages import InboundEvent

S = TypeVar("S")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class HandlerContext(Generic[S, U]):
    services: S
    user: U
    locale: str
    tz: str
    now: datetime
    event: InboundEvent
