"""The scheduler: an APScheduler AsyncIOScheduler with an interval tick for the reminder jobs and cron
triggers for the digests; and `run_all_due`, every job that would be due at one instant (`dealbot tick`).

Safe with several instances on PostgreSQL: every job reads what is due from the database and writes each
reason once (ledger keys, see storage.services.reminder_jobs); the outbox is claimed with SKIP LOCKED.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.replies import load
from config import Settings
from reminders.calendar import team_calendar
from reminders.collisions import run_collisions
from reminders.nudges import run_nudges, run_overdue
from reminders.pool import run_pool
from reminders.pushes import Push
from reminders.stale import run_stale
from storage.crypto import ContactCipher
from storage.services.reminder_jobs import pushed_at
from storage.uow import UnitOfWorkFactory

log = logging.getLogger("reminders.scheduler")
Clock = Callable[[], datetime]


class Job(Protocol):
    def __call__(self, uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings, *, dry_run: bool = ...,
                 sink: list[Push] | None = ..., cipher: ContactCipher | None = ...) -> Awaitable[int]: ...


JOBS: tuple[tuple[str, Job], ...] = (
    ("nudge", run_nudges), ("overdue", run_overdue), ("stale", run_stale), ("pool", run_pool),
    ("collision", run_collisions),
)


def _digest_job(name: str) -> Callable[..., Awaitable[int]] | None:
    """Part (a)'s digest jobs, when that module exists."""
    try:
        module = importlib.import_module("reminders.digests")
    except ImportError:
        return None
    job = getattr(module, name, None)
    return job if callable(job) else None


def team_workday(settings: Settings) -> Callable[[Any, date], bool]:
    """Part (a)'s working-day test (team, day): each team's own country calendar."""
    def is_workday(team: Any, day: date) -> bool:
        return team_calendar(settings.calendar, team.tz, getattr(team, "country", None)).is_workday(day)

    return is_workday


async def _call_digest(name: str, uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings, *,
                       dry_run: bool, sink: list[Push]) -> int:
    """Run a digest job (it decides per team whether it is due and dedupes by key); its pushes are read
    back from the outbox into `sink`. A job without a dry run is skipped in a dry run."""
    job = _digest_job(name)
    if job is None:
        return 0
    accepted = inspect.signature(job).parameters
    kwargs: dict[str, Any] = {"is_workday": team_workday(settings)} if "is_workday" in accepted else {}
    if "dry_run" in accepted:
        kwargs["dry_run"] = dry_run
    elif dry_run:
        log.info("%s has no dry run; skipped in a dry run", name)
        return 0
    if "sink" in accepted:
        kwargs["sink"] = sink
        return int(await job(uow_factory, clock, settings, **kwargs))
    added = int(await job(uow_factory, clock, settings, **kwargs))
    if added:
        sink += await _read_back(uow_factory, clock(), "digest" if name == "run_daily_digest" else "weekly_review")
    return added


async def _read_back(uow_factory: UnitOfWorkFactory, at: datetime, kind: str) -> list[Push]:
    async with uow_factory() as uow:
        rows = await pushed_at(uow, at, kind)
    return [Push(kind, r.target.get("kind", "team"), str(r.target.get("name", "")), r.dedupe_key, load(r.payload),
                 f"{kind} due", r.not_before) for r in rows]


async def run_reminders(uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings, *, dry_run: bool = False,
                        sink: list[Push] | None = None, cipher: ContactCipher | None = None) -> int:
    """The interval tick: every reminder job once; one failing job does not stop the others."""
    total = 0
    for name, job in JOBS:
        try:
            total += await job(uow_factory, clock, settings, dry_run=dry_run, sink=sink, cipher=cipher)
        except Exception:
            log.exception("reminder job %s failed", name)
    return total


async def run_all_due(uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings, *,
                      dry_run: bool = False, cipher: ContactCipher | None = None) -> list[Push]:
    """Every job that would be due at `clock()`: the reminder jobs, and the digests (which decide per team
    whether their time has come on the team's calendar, and push each once)."""
    sink: list[Push] = []
    instant = clock()
    frozen: Clock = lambda: instant  # noqa: E731  (one tick, one instant, for every job)
    await run_reminders(uow_factory, frozen, settings, dry_run=dry_run, sink=sink, cipher=cipher)
    await _call_digest("run_daily_digest", uow_factory, frozen, settings, dry_run=dry_run, sink=sink)
    await _call_digest("run_weekly_review", uow_factory, frozen, settings, dry_run=dry_run, sink=sink)
    return sink


def build_scheduler(settings: Settings, uow_factory: UnitOfWorkFactory, clock: Clock, *,
                    cipher: ContactCipher | None = None) -> AsyncIOScheduler:
    """Not started: the caller starts it inside its event loop (`scheduler.start()`)."""
    cfg = settings.reminders
    tz = settings.bot.default_tz
    scheduler = AsyncIOScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1,
                                                            "misfire_grace_time": max(cfg.tick_seconds, 60)})

    async def tick() -> None:
        await run_reminders(uow_factory, clock, settings, cipher=cipher)

    async def digest(name: str) -> None:
        try:
            await _call_digest(name, uow_factory, clock, settings, dry_run=False, sink=[])
        except Exception:
            log.exception("%s failed", name)

    if cfg.enabled:
        scheduler.add_job(tick, IntervalTrigger(seconds=cfg.tick_seconds, timezone=tz), id="reminders")
        # Digests decide per team, in the team's own zone and calendar, whether their time has come (and
        # push once per period); so they are woken every minute rather than at 09:00 of one zone.
        for name in ("run_daily_digest", "run_weekly_review"):
            if _digest_job(name) is not None:
                scheduler.add_job(digest, IntervalTrigger(seconds=60, timezone=tz), args=[name], id=name)
    return scheduler
