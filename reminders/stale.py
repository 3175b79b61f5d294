"""Stale deals: no activity for the stage's "stale after" days → the rep, once per quiet spell and stage,
several deals in one message. Key `stale:{deal_id}:{stage}:{n}`, n = the last activity's epoch second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby

from bot.core.i18n import t
from config import Settings
from reminders.pushes import JobEnv, Push, run_job
from reminders.render import DealsCard
from storage.crypto import ContactCipher
from storage.services.reminder_jobs import Mark, StaleDeal
from storage.uow import UnitOfWorkFactory


def stale_key(deal: StaleDeal) -> str:
    return f"stale:{deal.id}:{deal.stage}:{int(deal.last_activity_at.timestamp())}"


async def plan_stale(env: JobEnv) -> list[Push]:
    cutoffs = {s.key: env.now - timedelta(days=s.stale_days) for s in env.pipeline.stages
               if s.stale_days and s.key in env.pipeline.open_keys}
    found = await env.store.stale_deals(cutoffs)
    if not found:
        return []
    off = await env.store.disabled("stale")
    people = await env.store.people({d.owner_id for d in found})
    found = sorted((d for d in found if d.owner_id in people and d.owner_id not in off),
                   key=lambda d: (d.owner_id, d.last_activity_at, d.id))
    won = await env.claim([Mark(stale_key(d), "stale", d.id, d.stage) for d in found])
    kept = [d for d in found if stale_key(d) in won]
    pushes = []
    for owner_id, owned in groupby(kept, key=lambda d: d.owner_id):
        deals = list(owned)
        person = people[owner_id]
        first = deals[0]
        days = (env.now - first.last_activity_at).days
        summary = (t("stale.one", person.locale, days=days, stage=env.pipeline.label(first.stage, person.locale))
                   if len(deals) == 1 else t("stale.many", person.locale, count=len(deals)))
        reply = DealsCard(tuple(d.id for d in deals), summary, person.locale, person.tz,
                          env.settings.reminders.max_lines, {})
        why = f"no activity since {first.last_activity_at.isoformat()} (stage {first.stage})"
        pushes.append(Push("stale", "user", person.login, stale_key(first), reply, why,
                           env.quiet_until(person.team), tuple(d.id for d in deals), tuple(map(stale_key, deals))))
    return pushes


async def run_stale(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, *,
                    dry_run: bool = False, sink: list[Push] | None = None, cipher: ContactCipher | None = None) -> int:
    """Stale-deal reminders to their reps; returns the pushes enqueued."""
    return await run_job(uow_factory, clock, settings, plan_stale, dry_run=dry_run, sink=sink, cipher=cipher)
