"""Follow-up nudges: at the time the rep set (merged when several fall within a few minutes), overdue
after 1 and after 3 working days, and after 3 working days an escalation to the team group.

Dedupe keys (the ledger's, one per follow-up and step): `nudge:{followup_id}:{local date}`,
`overdue1:{followup_id}`, `overdue3:{followup_id}`, `escalation:{followup_id}`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from config import Settings
from handlers.format import format_time
from reminders.pushes import JobEnv, Push, run_job
from reminders.render import DealsCard, list_text
from storage.crypto import ContactCipher
from storage.services.reminder_jobs import DueFollowUp, Mark, Person
from storage.uow import UnitOfWorkFactory


def merge_groups(due: Sequence[DueFollowUp], now: datetime, window: timedelta) -> list[list[DueFollowUp]]:
    """Per owner, runs of follow-ups due within `window` of the run's first, which must be due by now."""
    groups: list[list[DueFollowUp]] = []
    for _, owned in groupby(due, key=lambda f: f.owner_id):
        items = list(owned)
        i = 0
        while i < len(items) and items[i].due_at <= now:
            j = i + 1
            while j < len(items) and items[j].due_at <= items[i].due_at + window:
                j += 1
            groups.append(items[i:j])
            i = j
    return groups


def _deal_push(env: JobEnv, kind: str, person: Person, items: Sequence[DueFollowUp], keys: Sequence[str],
               summary: str, why: str, not_before: datetime) -> Push:
    deal_ids = tuple(dict.fromkeys(f.deal_id for f in items))
    card = DealsCard(deal_ids, summary, person.locale, person.tz, env.settings.reminders.max_lines,
                     {"followup_ids": [f.id for f in items]})
    return Push(kind, "user", person.login, keys[0], card, why, not_before, deal_ids, tuple(keys))


async def plan_nudges(env: JobEnv) -> list[Push]:
    cfg = env.settings.reminders
    window = timedelta(minutes=cfg.merge_minutes)
    due = await env.store.due_followups(env.now - timedelta(hours=cfg.nudge_grace_hours), env.now + window)
    if not due:
        return []
    off = await env.store.disabled("nudge")
    people = await env.store.people({f.owner_id for f in due})
    groups = [g for g in merge_groups(due, env.now, window) if g[0].owner_id in people and g[0].owner_id not in off]
    key = {f.id: f"nudge:{f.id}:{f.due_at.astimezone(ZoneInfo(people[f.owner_id].tz)).date()}"
           for g in groups for f in g}
    won = await env.claim([Mark(key[f.id], "nudge", f.id) for g in groups for f in g])
    kept_groups = [kept for g in groups if (kept := [f for f in g if key[f.id] in won])]
    pushes = []
    for kept in kept_groups:
        person = people[kept[0].owner_id]
        when = format_time(kept[0].due_at, person.tz, person.locale, env.now)
        summary = (t("nudge.one", person.locale, when=when, text=kept[0].raw_text or when) if len(kept) == 1
                   else t("nudge.many", person.locale, count=len(kept), when=when))
        why = f"follow-up due {kept[0].due_at.isoformat()} (set by the rep; quiet hours do not apply)"
        # Explicitly scheduled: goes now, whatever the hour or the calendar.
        pushes.append(_deal_push(env, "nudge", person, kept, [key[f.id] for f in kept], summary, why, env.now))
    return pushes


async def plan_overdue(env: JobEnv) -> list[Push]:
    cfg = env.settings.reminders
    candidates = await env.store.overdue_followups(env.now - timedelta(days=cfg.overdue_horizon_days),
                                                   env.now - timedelta(hours=12), "escalation")
    if not candidates:
        return []
    first_done = await env.store.marked("overdue1", [f.id for f in candidates])
    off = await env.store.disabled("overdue")
    people = await env.store.people({f.owner_id for f in candidates})
    rep_items: list[tuple[DueFollowUp, Mark, int, datetime]] = []
    team_items: list[tuple[DueFollowUp, Mark, datetime]] = []
    for f in candidates:
        person = people.get(f.owner_id)
        if person is None:
            continue
        calendar = env.calendar(person.team)
        late = calendar.working_days_later(f.due_at, cfg.overdue_escalate_days)
        if env.now >= late:
            team_items.append((f, Mark(f"escalation:{f.id}", "escalation", f.id), late))
            if person.id not in off:
                rep_items.append((f, Mark(f"overdue3:{f.id}", "overdue3", f.id), cfg.overdue_escalate_days, late))
            continue
        first = calendar.working_days_later(f.due_at, cfg.overdue_first_days)
        if env.now >= first and f.id not in first_done and person.id not in off:
            rep_items.append((f, Mark(f"overdue1:{f.id}", "overdue1", f.id), cfg.overdue_first_days, first))
    won = await env.claim([m for _, m, *_ in rep_items] + [m for _, m, _ in team_items])
    pushes = []
    rep_kept = [item for item in rep_items if item[1].key in won]
    for owner_id, owned in groupby(rep_kept, key=lambda item: item[0].owner_id):
        batch = list(owned)
        person = people[owner_id]
        f, _, days, at = batch[0]
        when = format_time(f.due_at, person.tz, person.locale, env.now)
        summary = (t("overdue.one", person.locale, when=when, days=days) if len(batch) == 1
                   else t("overdue.many", person.locale, count=len(batch)))
        why = f"follow-up due {f.due_at.isoformat()} still open after {days} working day(s)"
        pushes.append(_deal_push(env, "overdue", person, [b[0] for b in batch], [b[1].key for b in batch],
                                 summary, why, env.quiet_until(person.team, at)))
    pushes += await _escalations(env, people, [item for item in team_items if item[1].key in won])
    return pushes


async def _escalations(env: JobEnv, people: dict[int, Person],
                       items: list[tuple[DueFollowUp, Mark, datetime]]) -> list[Push]:
    pushes = []
    items.sort(key=lambda item: (people[item[0].owner_id].team.id, item[0].due_at, item[0].id))
    views = await env.store.deal_views([f.deal_id for f, _, _ in items])
    for _, batch_iter in groupby(items, key=lambda item: people[item[0].owner_id].team.id):
        batch = list(batch_iter)
        team = people[batch[0][0].owner_id].team
        locale, days = team.locale, env.settings.reminders.overdue_escalate_days
        lines = []
        for f, _, _ in batch:
            view, owner = views.get(f.deal_id), people[f.owner_id]
            lines.append(t("escalation.line", locale, id=f.deal_id, customer=view.customer if view else "",
                           owner=owner.name, when=format_time(f.due_at, team.tz, locale, env.now)))
        data = {"deal_ids": [f.deal_id for f, _, _ in batch], "followup_ids": [f.id for f, _, _ in batch]}
        reply = list_text(t("escalation.title", locale, count=len(batch), days=days), lines, locale=locale,
                          max_lines=env.settings.reminders.max_lines, data=data)
        why = f"{len(batch)} follow-up(s) open {days} working days after their time"
        pushes.append(Push("escalation", "team", team.name, batch[0][1].key, reply, why,
                           env.quiet_until(team, batch[0][2]), tuple(f.deal_id for f, _, _ in batch),
                           tuple(m.key for _, m, _ in batch)))
    return pushes


async def run_nudges(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, *,
                     dry_run: bool = False, sink: list[Push] | None = None, cipher: ContactCipher | None = None) -> int:
    """Follow-ups due now, to their reps; returns the pushes enqueued."""
    return await run_job(uow_factory, clock, settings, plan_nudges, dry_run=dry_run, sink=sink, cipher=cipher)


async def run_overdue(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], settings: Settings, *,
                      dry_run: bool = False, sink: list[Push] | None = None,
                      cipher: ContactCipher | None = None) -> int:
    """Overdue follow-ups (1 and 3 working days) and escalations; returns the pushes enqueued."""
    return await run_job(uow_factory, clock, settings, plan_overdue, dry_run=dry_run, sink=sink, cipher=cipher)
