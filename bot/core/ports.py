"""Structural interfaces the core needs from storage; the composition root supplies them."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bot.core.messages import ConversationRef, InboundEvent, PlatformUser


class Session(Protocol):
    """One unit of work for one inbound event, seen from the dispatcher."""

    services: Any

    async def record_inbox(self, platform: str, event_key: str) -> bool:
        """False when the event was seen before (a platform retry)."""

    async def bind(self, sender: PlatformUser, message_id: str) -> Any | None:
        """Resolve the sender to a user and act as them; None for an unknown sender."""

    def user_locale(self, user: Any) -> str | None: ...

    def user_tz(self, user: Any) -> str: ...

    async def enqueue(self, conversation: ConversationRef, payload: dict[str, Any], kind: str) -> None:
        """Write a reply to the outbox in this transaction."""

    def map_error(self, exc: Exception) -> tuple[str, dict[str, Any]] | None:
        """(i18n code, params) for a domain error; None for anything unexpected."""

    def is_retryable(self, exc: Exception) -> bool:
        """True when the work lost a race and may simply run again."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class SessionFactory(Protocol):
    def __call__(self, event: InboundEvent) -> AbstractAsyncContextManager[Session]: ...
