"""Daily digest (09:00 team time on working days) and weekly review (first working day, 09:30) jobs.

Each job enqueues at most one outbox row per team and period, keyed `digest:{team}:{date}` and
`weekly:{team}:{iso year}-W{week}`: running it again, or on a second instance, adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot.core.replies import Card, Recipient, Reply, dump
from config import Settings
from handlers.report_views import digest_card, digest_data, weekly_card, weekly_data
from reminders.charts import funnel_chart_b64
from reminders.pushes import Push
from storage.analytics_dto import Scope, TeamInfo
from storage.pipeline import Pipeline
from storage.services.analytics import analytics_for
from storage.services.analytics_periods import IsWorkday, digest_due, digest_window, mon_to_fri, weekly_due
from storage.services.analytics_push import already_queued, enqueue_once, list_teams
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def digest_key(team: TeamInfo, day: date) -> str:
    return f"digest:{team.id}:{day.isoformat()}"


def weekly_key(team: TeamInfo, monday: date) -> str:
    iso = monday.isocalendar()
    return f"weekly:{team.id}:{iso.year}-W{iso.week:02d}"


def report_reply(card: Card, data: dict[str, Any], image: str | None, team: TeamInfo) -> Reply:
    if image is not None:
        data = {**data, "image_png_b64": image}
    return Reply(card, data={**data, "team": team.name}, to=Recipient("team", team.name))


async def _teams(uow_factory: UnitOfWorkFactory) -> list[TeamInfo]:
    async with uow_factory() as uow:
        return await list_teams(uow)


async def _push(uow_factory: UnitOfWorkFactory, team: TeamInfo, key: str, kind: str, reply: Reply,
                now: datetime) -> bool:
    async with uow_factory() as uow:
        added = await enqueue_once(uow, dedupe_key=key, target={"kind": "team", "name": team.name},
                                   payload=dump(reply), kind=kind, now=now)
        await uow.commit()
        return added


async def _deliver(uow_factory: UnitOfWorkFactory, team: TeamInfo, key: str, kind: str, reply: Reply,
                   now: datetime, dry_run: bool, sink: list[Push] | None) -> int:
    """Enqueue (or, in a dry run, only report) one report; `sink` collects what was or would be pushed."""
    added = True if dry_run else await _push(uow_factory, team, key, kind, reply, now)
    if added and sink is not None:
        sink.append(Push(kind, "team", team.name, key, reply, f"{kind} due for {team.name}", now))
    return int(added)


async def run_daily_digest(uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings,
                           is_workday: IsWorkday = mon_to_fri, *, dry_run: bool = False,
                           sink: list[Push] | None = None) -> int:
    """Enqueues the digest of every team whose working day has reached 09:00; returns how many."""
    now, pipeline, added = clock(), Pipeline(settings.pipeline), 0
    for team in await _teams(uow_factory):
        day = digest_due(team, now, is_workday)
        if day is None:
            continue
        key = digest_key(team, day)
        async with uow_factory() as uow:
            if await already_queued(uow, key):
                continue
            since, until = digest_window(team, day, is_workday)
            digest = await analytics_for(uow, clock, settings.pipeline).digest(Scope(team.id), since, until, team.tz)
        card = digest_card(digest, team.name, pipeline, team.locale, team.tz)
        image = await funnel_chart_b64(digest.funnel, pipeline, team.locale)
        reply = report_reply(card, {**digest_data(digest), "date": day.isoformat()}, image, team)
        added += await _deliver(uow_factory, team, key, "digest", reply, now, dry_run, sink)
    return added


async def run_weekly_review(uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings,
                            is_workday: IsWorkday = mon_to_fri, *, dry_run: bool = False,
                            sink: list[Push] | None = None) -> int:
    """Enqueues last week's review for every team whose first working day of the week reached 09:30."""
    now, pipeline, added = clock(), Pipeline(settings.pipeline), 0
    for team in await _teams(uow_factory):
        monday = weekly_due(team, now, is_workday)
        if monday is None:
            continue
        key = weekly_key(team, monday)
        async with uow_factory() as uow:
            if await already_queued(uow, key):
                continue
            review = await analytics_for(uow, clock, settings.pipeline).weekly(Scope(team.id), monday, team.tz)
        card = weekly_card(review, team.name, pipeline, team.locale, team.tz)
        image = await funnel_chart_b64(review.funnel, pipeline, team.locale)
        reply = report_reply(card, weekly_data(review), image, team)
        added += await _deliver(uow_factory, team, key, "weekly_review", reply, now, dry_run, sink)
    return added
