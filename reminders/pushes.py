"""What a job produces (a Push: who, why, what text), and the unit of work every job runs in:
claim the reasons in the ledger, write the outbox rows, commit (or roll back for a dry run)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.core.replies import Reply, Text, dump, load
from config import Settings
from reminders.calendar import TeamCalendar, team_calendar
from reminders.deferred import render_cards
from reminders.render import DEALS_CARD, DealsCard
from storage.analytics_dto import TeamInfo
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.pipeline import Pipeline
from storage.services.base import ServiceContext
from storage.services.reminder_jobs import Mark, OutboxRow, Person, ReminderStore, load_cipher
from storage.uow import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Push:
    """One message the scheduler sends: `recipient` is a user login, or a team name for its group."""

    kind: str  # nudge | overdue | escalation | stale | pool_warning | pool_return | collision | digest | ...
    recipient_kind: str  # user | team
    recipient: str
    dedupe_key: str
    reply: Reply | DealsCard  # a DealsCard is rendered at delivery (and before a preview prints it)
    why: str
    not_before: datetime
    deal_ids: tuple[int, ...] = ()
    marks: tuple[str, ...] = field(default=(), compare=False)

    @property
    def deal_id(self) -> int | None:
        return self.deal_ids[0] if self.deal_ids else None

    @property
    def target(self) -> dict[str, Any]:
        return {"kind": self.recipient_kind, "name": self.recipient}

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "recipient": self.recipient, "recipient_kind": self.recipient_kind,
                "deal_id": self.deal_id, "deal_ids": list(self.deal_ids), "dedupe_key": self.dedupe_key,
                "not_before": self.not_before.isoformat(), "why": self.why, "text": self.reply.text}

    def row(self) -> OutboxRow:
        meta = {"push": self.kind, "dedupe_key": self.dedupe_key}
        if isinstance(self.reply, DealsCard):
            card = self.reply
            payload = dump(Reply(Text(card.text), data={**card.data, "deal_ids": list(card.deal_ids), **meta}))
            payload[DEALS_CARD] = card.as_payload()
        else:
            payload = dump(Reply(self.reply.body, self.reply.mode, {**self.reply.data, **meta}, None))
        payload["to"] = self.target
        return OutboxRow(self.dedupe_key, self.target, payload, "notice", self.not_before)


def to_user(person: Person) -> tuple[str, str]:
    return "user", person.login


def to_team(team: TeamInfo) -> tuple[str, str]:
    return "team", team.name


class JobEnv:
    """What a job sees inside its unit of work: the clock's now, settings, the store, calendars."""

    def __init__(self, uow: UnitOfWork, clock: Callable[[], datetime], settings: Settings,
                 cipher: ContactCipher) -> None:
        self.settings = settings
        self.now = clock()
        # Jobs act as nobody (audited as the scheduler) and read a frozen instant: one tick, one now.
        self.ctx = ServiceContext(uow, lambda: self.now, Actor(None, "scheduler"), settings.pipeline, cipher)
        self.store = ReminderStore(self.ctx)
        self.pipeline = Pipeline(settings.pipeline)

    def calendar(self, team: TeamInfo) -> TeamCalendar:
        return team_calendar(self.settings.calendar, team.tz, team.country)

    def quiet_until(self, team: TeamInfo, at: datetime | None = None) -> datetime:
        """When a push that must respect working hours may go: now (or `at`) or the next working moment."""
        return self.calendar(team).next_working_moment(max(at or self.now, self.now))

    async def claim(self, marks: Sequence[Mark]) -> set[str]:
        return await self.store.claim(marks)


JobBody = Callable[[JobEnv], Awaitable[list[Push]]]


async def run_job(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, body: JobBody,
                  *, dry_run: bool = False, sink: list[Push] | None = None,
                  cipher: ContactCipher | None = None) -> int:
    """Run one job in one transaction; returns how many pushes were (or, dry, would be) enqueued."""
    async with uow_factory() as uow:
        env = JobEnv(uow, clock, settings, cipher or load_cipher(settings.security))
        pushes = await body(env)
        # Rows are built lazily, in key order: on PostgreSQL a chunk is written while the next is built.
        ordered = sorted(pushes, key=lambda p: p.dedupe_key)
        inserted = await env.store.enqueue(p.row() for p in ordered) if pushes else set()
        pushes = [p for p in pushes if p.dedupe_key in inserted]
        if sink is not None:  # a preview prints the cards as they will be delivered
            pushes = await _rendered(env, pushes)
        if dry_run or not pushes:  # nothing to push: nothing to keep either (a claimed mark without a push)
            await uow.rollback()
        else:
            await uow.commit()
    if sink is not None:
        sink.extend(pushes)
    return len(pushes)


async def _rendered(env: JobEnv, pushes: list[Push]) -> list[Push]:
    rows = [p.row().payload for p in pushes]
    done = await render_cards(rows, env.store.deal_views, env.pipeline, env.now)
    return [replace(p, reply=load(payload)) if isinstance(p.reply, DealsCard) else p
            for p, payload in zip(pushes, done, strict=True)]
