"""Collision safety net: the immediate check refuses a deal for another rep's protected customer, but two
reps creating the same company at the same instant both pass it. This job finds such pairs (a new customer
sharing a name or phone key with another rep's protected one) and warns both reps and the team group.
Keys live in the `collision:` namespace: the pair `collision:{older}-{newer}`, then `…:user:{login}` and
`…:team:{team}` per message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.i18n import t
from bot.core.replies import Reply, Text
from config import Settings
from reminders.pushes import JobEnv, Push, run_job
from storage.crypto import ContactCipher
from storage.services.reminder_jobs import Mark
from storage.uow import UnitOfWorkFactory

LOOKBACK = timedelta(days=2)  # only customers this recent can be a missed race


async def plan_collisions(env: JobEnv) -> list[Push]:
    pairs = await env.store.collision_pairs(env.now, env.now - LOOKBACK)
    if not pairs:
        return []
    key = {(a.id, b.id): f"collision:{a.id}-{b.id}" for a, b in pairs}
    won = await env.claim([Mark(k, "collision", b, str(a)) for (a, b), k in key.items()])
    people = await env.store.people({c.owner_id for pair in pairs for c in pair if c.owner_id is not None})
    teams = await env.store.teams()
    pushes = []
    for older, newer in pairs:
        pair_key = key[(older.id, newer.id)]
        first, second = people.get(older.owner_id or 0), people.get(newer.owner_id or 0)
        if pair_key not in won or first is None or second is None:
            continue
        data = {"collision": True, "customer_ids": [older.id, newer.id]}
        why = f"customers {older.id} and {newer.id} look like one company with two owners"
        for person, other, mine in ((first, second, older), (second, first, newer)):
            text = t("collision.net_user", person.locale, customer=mine.name, other=other.name)
            pushes.append(Push("collision", "user", person.login, f"{pair_key}:user:{person.login}",
                               Reply(Text(text), data=data), why, env.now))
        for team_id in dict.fromkeys((older.team_id, newer.team_id)):
            team = teams[team_id]
            text = t("collision.net_team", team.locale, first=first.name, second=second.name,
                     customer=older.name, other=newer.name)
            pushes.append(Push("collision", "team", team.name, f"{pair_key}:team:{team.name}",
                               Reply(Text(text), data=data), why, env.now))
    return pushes


async def run_collisions(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, *,
                         dry_run: bool = False, sink: list[Push] | None = None,
                         cipher: ContactCipher | None = None) -> int:
    """Collision warnings the immediate check could not give; returns the pushes enqueued."""
    return await run_job(uow_factory, clock, settings, plan_collisions, dry_run=dry_run, sink=sink, cipher=cipher)
