"""The dispatcher's Session port implemented on storage: inbox, identity, outbox, error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from bot.core.messages import ConversationRef, InboundEvent, PlatformUser
from config import Settings
from storage.crypto import ContactCipher
from storage.dto import Actor, UserView
from storage.errors import DomainError
from storage.inbox import InboxRepo
from storage.outbox import OutboxRepo
from storage.services import Services
from storage.uow import UnitOfWork, UnitOfWorkFactory


class StorageSession:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], datetime], settings: Settings,
                 cipher: ContactCipher, event: InboundEvent) -> None:
        self.uow = uow
        self.clock = clock
        self.settings = settings
        self.event = event
        self.services = Services(uow, clock, Actor(None, event.conversation.platform.value, event.event_key),
                                 settings.pipeline, cipher)
        self.outbox = OutboxRepo(uow)

    async def record_inbox(self, platform: str, event_key: str) -> bool:
        return await InboxRepo(self.uow).claim(platform, event_key, self.clock())

    async def bind(self, sender: PlatformUser, message_id: str) -> UserView | None:
        user = await self.services.users.resolve(sender.platform.value, sender.user_id)
        if user is not None:
            self.services = self.services.as_actor(Actor(user, sender.platform.value, message_id))
        return user

    def user_locale(self, user: UserView) -> str | None:
        return user.locale

    def user_tz(self, user: UserView) -> str:
        return user.tz

    async def enqueue(self, conversation: ConversationRef, payload: dict[str, Any], kind: str) -> None:
        to = payload.get("to")
        target: dict[str, Any]
        if to is None:
            target = {"kind": "conversation", "platform": conversation.platform.value, "tenant": conversation.tenant,
                      "channel": conversation.channel, "thread": conversation.thread,
                      "user": self.event.sender.user_id, "direct": conversation.is_direct,
                      "reply_handle": dict(self.event.reply_handle) if self.event.reply_handle else None,
                      "source_message_id": getattr(self.event, "source_message_id", None)}
        else:
            target = {"kind": to["kind"], "name": to["name"]}
        platform = conversation.platform.value if to is None else None
        await self.outbox.enqueue(target=target, payload=payload, kind=kind, platform=platform, now=self.clock())

    def map_error(self, exc: Exception) -> tuple[str, dict[str, Any]] | None:
        if isinstance(exc, DomainError):
            return exc.code, exc.params
        return None

    def is_retryable(self, exc: Exception) -> bool:
        # A lost optimistic-lock race, a unique race on insert, or a PostgreSQL deadlock / SQLite busy.
        return isinstance(exc, StaleDataError | IntegrityError | OperationalError)

    async def commit(self) -> None:
        await self.uow.commit()

    async def rollback(self) -> None:
        await self.uow.rollback()


@dataclass(slots=True)
class StorageSessionFactory:
    uow_factory: UnitOfWorkFactory
    clock: Callable[[], datetime]
    settings: Settings
    cipher: ContactCipher

    @asynccontextmanager
    async def __call__(self, event: InboundEvent) -> AsyncIterator[StorageSession]:
        async with self.uow_factory() as uow:
            yield StorageSession(uow, self.clock, self.settings, self.cipher, event)
