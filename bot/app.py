"""Composition root: builds engine, services, dispatcher, senders and worker from the settings."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.base import PlatformSender
from bot.address_book import AddressBook
from bot.core.clock import system_clock
from bot.core.dispatch import Dispatcher
from bot.outbox_store import StorageOutboxStore
from bot.outbox_worker import OutboxWorker
from bot.session import StorageSessionFactory
from config import Settings
from reminders.deferred import PushRenderer
from storage.crypto import ContactCipher
from storage.engine import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory


def load_secret(settings: Settings) -> str:
    """The configured secret, or one kept in `security.secret_file` (created on first use)."""
    if settings.security.secret_key:
        return settings.security.secret_key
    path = Path(settings.security.secret_file)
    if path.is_file():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(32)
    path.write_text(secret + "\n")
    path.chmod(0o600)
    return secret


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    clock: Callable[[], datetime]
    cipher: ContactCipher
    dispatcher: Dispatcher
    senders: dict[str, PlatformSender] = field(default_factory=dict)

    def worker(self, senders: Mapping[str, PlatformSender], *, notice_platform: str | None = None) -> OutboxWorker:
        """A worker for these senders; pushes to users and teams go to their linked platforms, and what
        has no platform address goes to `notice_platform` (the console in console-only runs)."""
        book = AddressBook(self.uow_factory, [p for p in senders if p != notice_platform], notice_platform)
        cfg = self.settings.outbox
        store = StorageOutboxStore(self.uow_factory, lease=timedelta(seconds=cfg.lease_seconds),
                                   locale=self.settings.bot.default_locale,
                                   renderer=PushRenderer(self.settings, self.cipher))
        return OutboxWorker(store, senders, self.clock, resolver=book, max_attempts=cfg.max_attempts,
                            concurrency=cfg.concurrency)

    async def close(self) -> None:
        await self.engine.dispose()


def build_app(settings: Settings, clock: Callable[[], datetime] = system_clock) -> App:
    """Everything wired; nothing started. The database must already be migrated."""
    from handlers import build_help, build_router  # heavy-ish: only when a bot is really built

    engine = make_engine(settings.database)
    uow_factory = UnitOfWorkFactory(make_sessionmaker(engine))
    cipher = ContactCipher(load_secret(settings))
    sessions = StorageSessionFactory(uow_factory, clock, settings, cipher)
    router = build_router(settings)
    dispatcher = Dispatcher(router, sessions, build_help(router), max_text_chars=settings.bot.max_text_chars,
                            default_locale=settings.bot.default_locale)
    return App(settings, engine, uow_factory, clock, cipher, dispatcher)
