"""World: the real app (dispatcher, services, outbox worker) on a test database, a frozen clock,
and a recording console sender. Tests speak as users and read what the bot answered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.adapters.base import Delivered, SendResult
from bot.app import App, build_app
from bot.console import console_event
from bot.core.clock import FrozenClock
from bot.core.replies import Button, Card, Reply
from config import DatabaseSettings, Settings
from config.settings import BotSettings, SecuritySettings
from storage.dto import Actor, UserView
from storage.services import Services

DEFAULT_NOW = datetime.fromisoformat("2026-11-27T10:00:00+08:00")  # a Friday


@dataclass
class Sent:
    target: Mapping[str, Any]
    reply: Reply


@dataclass
class RecordingSender:
    sent: list[Sent] = field(default_factory=list)

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        self.sent.append(Sent(target, reply))
        return Delivered()


class World:
    def __init__(self, database_url: str, now: datetime = DEFAULT_NOW, **pipeline: Any) -> None:
        settings = Settings(database=DatabaseSettings(url=database_url),
                            security=SecuritySettings(secret_key="test-secret"),
                            bot=BotSettings(default_tz="Asia/Shanghai"))
        for key, value in pipeline.items():
            setattr(settings.pipeline, key, value)
        self.clock = FrozenClock(now)
        self.app: App = build_app(settings, self.clock)
        self.sender = RecordingSender()
        self.worker = self.app.worker({"console": self.sender}, notice_platform="console")
        self.last: dict[str, list[Reply]] = {}

    async def close(self) -> None:
        await self.app.close()

    async def services(self, as_login: str | None = None) -> tuple[Any, Services]:
        uow = self.app.uow_factory()
        await uow.__aenter__()
        services = Services(uow, self.clock, Actor(None, "test"), self.app.settings.pipeline, self.app.cipher)
        if as_login:
            user = await services.users.by_login(as_login)
            services = services.as_actor(Actor(user, "test"))
        return uow, services

    async def add_user(self, login: str, role: str = "rep", team: str = "sales", tz: str | None = None) -> UserView:
        uow, services = await self.services()
        try:
            user = await services.users.add(login, login.title(), role, team, tz, "Asia/Shanghai")
            await uow.commit()
            return user
        finally:
            await uow.__aexit__(None, None, None)

    async def says(self, login: str, text: str) -> list[Reply]:
        """Replies to this message (not pushes to others), after the outbox worker ran."""
        return await self._handle(login, text, None)

    async def clicks(self, login: str, button: Button) -> list[Reply]:
        return await self._handle(login, "", button.action.pack())

    async def _handle(self, login: str, text: str, action: str | None) -> list[Reply]:
        before = len(self.sender.sent)
        await self.app.dispatcher.handle(console_event(login, text, self.clock(), action))
        await self.worker.drain()
        new = self.sender.sent[before:]
        replies = [s.reply for s in new if s.target.get("kind") == "conversation"]
        self.last[login] = replies
        return replies

    async def tick(self, at: str | datetime | None = None, *, dry_run: bool = False) -> list[Any]:
        """Move the clock (ISO text is local to the caller's offset), run every job due then, deliver."""
        from reminders.scheduler import run_all_due

        if at is not None:
            self.clock.set(datetime.fromisoformat(at) if isinstance(at, str) else at)
        pushes = await run_all_due(self.app.uow_factory, self.clock, self.app.settings, dry_run=dry_run,
                                   cipher=self.app.cipher)
        await self.worker.drain()
        return pushes

    def pushes(self, kind: str, name: str) -> list[Reply]:
        return [s.reply for s in self.sender.sent if s.target.get("kind") == kind and s.target.get("name") == name]

    async def count(self, model: Any) -> int:
        async with self.app.uow_factory() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


def button(reply: Reply, label_part: str) -> Button:
    assert isinstance(reply.body, Card), reply
    for candidate in reply.body.buttons:
        if label_part in candidate.label:
            return candidate
    raise AssertionError(f"no button {label_part!r} in {[b.label for b in reply.body.buttons]}")
