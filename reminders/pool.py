"""The public pool (公海) by the clock: a warning to the owner `pool_warning_days` before, then the customer
returns to the pool (through the pool service, audited) and the former owner and the team group are told.
Keys `pool_warning:{customer_id}:{cycle}`, `pool_return:{customer_id}:{cycle}`; cycle = the customer's last
activity as an epoch second, so every quiet spell of every ownership is handled once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby

from bot.core.i18n import t
from config import Settings
from handlers.format import format_time
from reminders.pushes import JobEnv, Push, run_job
from reminders.render import list_text
from storage.crypto import ContactCipher
from storage.services.pool_jobs import PoolJobService
from storage.services.reminder_jobs import CustomerInfo, Mark
from storage.uow import UnitOfWorkFactory


def cycle(customer: CustomerInfo) -> int:
    return int(customer.last_activity_at.timestamp())


async def plan_warnings(env: JobEnv, service: PoolJobService) -> list[Push]:
    found = await service.warnings_due()
    if not found:
        return []
    off = await env.store.disabled("pool")
    people = await env.store.people({c.owner_id for c in found if c.owner_id is not None})
    found = [c for c in found if c.owner_id in people and c.owner_id not in off]
    key = {c.id: f"pool_warning:{c.id}:{cycle(c)}" for c in found}
    won = await env.claim([Mark(key[c.id], "pool_warning", c.id) for c in found])
    pushes = []
    days = env.settings.pipeline.pool_days
    for owner_id, owned in groupby((c for c in found if key[c.id] in won), key=lambda c: c.owner_id):
        batch = list(owned)
        person = people[owner_id or 0]
        lines = [t("pool.warning_line", person.locale, customer=c.name,
                   when=format_time(c.last_activity_at + timedelta(days=days), person.tz, person.locale, env.now))
                 for c in batch]
        reply = list_text(t("pool.warning_title", person.locale, count=len(batch), days=days), lines,
                          locale=person.locale, max_lines=env.settings.reminders.max_lines,
                          data={"customer_ids": [c.id for c in batch]})
        why = f"no activity since {batch[0].last_activity_at.isoformat()}; back to the pool after {days} days"
        pushes.append(Push("pool_warning", "user", person.login, key[batch[0].id], reply, why,
                           env.quiet_until(person.team), (), tuple(key[c.id] for c in batch)))
    return pushes


async def plan_returns(env: JobEnv, service: PoolJobService) -> list[Push]:
    found = await service.returns_due()
    if not found:
        return []
    key = {c.id: f"pool_return:{c.id}:{cycle(c)}" for c in found}
    won = await env.claim([Mark(key[c.id], "pool_return", c.id) for c in found])
    returned = [r for c in found if key[c.id] in won and (r := await service.return_to_pool(c.id)) is not None]
    people = await env.store.people({c.owner_id for c in returned if c.owner_id is not None})
    off = await env.store.disabled("pool")
    teams = await env.store.teams()
    pushes = []
    max_lines, days = env.settings.reminders.max_lines, env.settings.pipeline.pool_days
    for owner_id, owned in groupby(sorted(returned, key=lambda c: c.owner_id or 0), key=lambda c: c.owner_id):
        batch, person = list(owned), people.get(owner_id or 0)
        if person is None or person.id in off:
            continue
        reply = list_text(t("pool.returned_owner", person.locale, count=len(batch), days=days),
                          [c.name for c in batch], locale=person.locale, max_lines=max_lines,
                          data={"customer_ids": [c.id for c in batch]})
        pushes.append(Push("pool_return", "user", person.login, f"{key[batch[0].id]}:owner", reply,
                           f"no activity for {days} days", env.quiet_until(person.team)))
    for team_id, in_team in groupby(sorted(returned, key=lambda c: c.team_id), key=lambda c: c.team_id):
        batch, team = list(in_team), teams[team_id]
        lines = [t("pool.returned_line", team.locale, customer=c.name,
                   owner=people[c.owner_id].name if c.owner_id in people else "") for c in batch]
        reply = list_text(t("pool.returned_team", team.locale, count=len(batch), days=days), lines,
                          locale=team.locale, max_lines=max_lines, data={"customer_ids": [c.id for c in batch]})
        pushes.append(Push("pool_return", "team", team.name, f"{key[batch[0].id]}:team", reply,
                           f"no activity for {days} days", env.quiet_until(team)))
    return pushes


async def plan_pool(env: JobEnv) -> list[Push]:
    service = PoolJobService(env.ctx)
    return await plan_warnings(env, service) + await plan_returns(env, service)


async def run_pool(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, *,
                   dry_run: bool = False, sink: list[Push] | None = None, cipher: ContactCipher | None = None) -> int:
    """Pool warnings and returns; returns the pushes enqueued (a dry run changes no owner)."""
    return await run_job(uow_factory, clock, settings, plan_pool, dry_run=dry_run, sink=sink, cipher=cipher)
