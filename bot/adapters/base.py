"""The adapter contract: senders return Delivered | RetryLater | Rejected; adapters install routes
or open connections and hand neutral events to the sink."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.messages import InboundEvent
from bot.core.replies import Reply

if TYPE_CHECKING:
    from aiohttp import web


@dataclass(frozen=True, slots=True)
class Delivered:
    platform_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class RetryLater:
    """Try again later. `throttled` marks a wait for a platform rate limit: it is queueing, not a
    failure, so it does not count toward the attempts after which a message is dead-lettered."""

    error: str
    after: timedelta | None = None
    throttled: bool = False


@dataclass(frozen=True, slots=True)
class Rejected:
    """A permanent refusal: the message is dead-lettered."""

    error: str


SendResult = Delivered | RetryLater | Rejected


class PlatformSender(Protocol):
    """Delivers one reply. Outbox targets it may get:

    - `{"kind": "conversation", "platform", "tenant", "channel", "thread", "user", "direct",
       "reply_handle", "source_message_id"}`: the answer to an inbound event;
    - `{"kind": "user", "login", "platform_user_id"}`: a push to one person;
    - `{"kind": "team", "name", "address": {...}}`: a push to a team's group chat, with the address
      stored for this platform (`dealbot teams group …`).
    Never raises for a platform failure: it returns RetryLater or Rejected.
    """

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult: ...


class Sink(Protocol):
    async def submit(self, event: InboundEvent) -> bool:
        """Durably record the event; True when new (it is being handled), False for a duplicate."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    buttons: bool = True
    images: bool = False
    max_text_bytes: int = 4000
    update_in_place: bool = False


class Adapter(Protocol):
    platform: str
    capabilities: Capabilities
    sender: PlatformSender

    def install(self, app: web.Application, sink: Sink) -> None:
        """Add HTTP routes (callback modes) to the server's aiohttp application."""

    async def start(self, sink: Sink) -> None:
        """Open long-lived connections (Slack Socket Mode, DingTalk Stream); no-op for HTTP modes."""

    async def stop(self) -> None:
        """Close connections and sessions; must finish within a few seconds."""
