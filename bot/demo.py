"""`dealbot demo`: a demo team with weeks of believable history, built through the services.

Every step runs with the clock set back to when it "happened", so stage history, follow-ups, overdue
reminders and the pool look real; the same `--now` always gives the same data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.clock import FrozenClock
from bot.demo_data import DEALS, PEOPLE, STAGE_NOTES, TEAM, TZ, DemoDeal
from config import Settings
from storage.dto import Actor, Money, UserView
from storage.services import ContactInput, DealRef, NewDeal, Services

DEMO_MANAGER = "wang"
_HISTORY_DAYS = 90  # the team "started" this long before now
_LOCAL = ZoneInfo(TZ)


@dataclass(slots=True)
class _Step:
    at: datetime
    order: tuple[int, int]  # (deal index, step index): a stable tie-break
    run: Callable[[], Awaitable[object]]


class _DemoBuilder:
    """Replays DEALS in time order, each step acting as the rep who would have done it."""

    def __init__(self, services: Services, clock: FrozenClock) -> None:
        self.services = services
        self.clock = clock
        self.now = clock()
        self.today = self.now.astimezone(_LOCAL).date()
        self.users: dict[str, UserView] = {}
        self.deal_ids: dict[int, int] = {}
        self.customer_ids: dict[int, int] = {}

    def local(self, days_ago: int, minutes: int) -> datetime:
        """`minutes` after local midnight, `days_ago` days before today (team time zone)."""
        midnight = datetime.combine(self.today - timedelta(days=days_ago), time(), tzinfo=_LOCAL)
        return midnight + timedelta(minutes=minutes)

    def when(self, index: int, days_ago: int, nth: int) -> datetime:
        """A working-hours time for a deal's nth step of that day; past days only, so always before now."""
        return self.local(days_ago, 9 * 60 + (index * 37 + days_ago * 13) % 420 + nth * 20)

    def due(self, spec: int | str | None) -> datetime | None:
        if spec is None:
            return None
        if spec == "today":  # later today if the day allows it, so it shows as due, not yet overdue
            end = self.local(0, 24 * 60)
            at_five = self.local(0, 17 * 60)
            return at_five if at_five > self.now else self.now + (end - self.now) / 2
        return self.local(-int(spec), 10 * 60)

    async def add_people(self) -> None:
        self.clock.set(self.now - timedelta(days=_HISTORY_DAYS))
        for login, name, role in PEOPLE:
            self.users[login] = await self.services.users.add(login, name, role, TEAM, None, TZ)

    def as_rep(self, login: str) -> Services:
        return self.services.as_actor(Actor(self.users[login], "cli"))

    def steps(self, index: int, deal: DemoDeal) -> list[_Step]:
        """The deal's history as timed steps: created, moves with their notes, extra follow-ups, close, release."""
        events: list[tuple[int, str, object]] = [(deal.created, "create", None)]
        for stage, days in deal.moves:
            events += [(days, "move", stage), (days, "log", STAGE_NOTES[stage])]
        events += [(days, "log", (kind, note)) for days, kind, note in deal.logs]
        if deal.won:
            events.append((deal.won[0], "won", deal.won[1]))
        if deal.lost:
            events.append((deal.lost[0], "lost", deal.lost[1]))
        if deal.release is not None:
            events.append((deal.release, "release", None))
        events.sort(key=lambda e: -e[0])  # stable: same-day events keep their order
        per_day: Counter[int] = Counter()
        timed: list[tuple[datetime, str, object]] = []
        for days, kind, payload in events:
            timed.append((self.when(index, days, per_day[days]), kind, payload))
            per_day[days] += 1
        log_times = [at for at, kind, _ in timed if kind == "log"]
        close = next((at for at, kind, _ in timed if kind in ("won", "lost")), None)
        final_due = close or self.due(deal.next_due)
        follow = iter([*log_times[1:], final_due])  # each follow-up promises the next one
        first_due = log_times[0] if log_times else final_due
        steps = []
        for n, (at, kind, payload) in enumerate(timed):
            next_at = first_due if kind == "create" else next(follow) if kind == "log" else None
            steps.append(_Step(at, (index, n), self.action(index, deal, kind, payload, next_at)))
        return steps

    def action(self, index: int, deal: DemoDeal, kind: str, payload: object,
               next_at: datetime | None) -> Callable[[], Awaitable[object]]:
        rep = self.as_rep(deal.rep)

        async def create() -> None:
            user = self.users[deal.rep]
            contact = ContactInput(*deal.contact) if deal.contact else None
            customer = await rep.customers.create(deal.customer, user.team_id, user.id, city=deal.city,
                                                  aliases=deal.aliases, contact=contact)
            # CustomerService.create leaves its match keys pending (autoflush is off), so without this
            # deals.create would not find the customer just made and would make a second one.
            await rep.ctx.session.flush()
            money = Money(Decimal(deal.amount), deal.currency) if deal.amount else None
            raw = " ".join(p for p in ("新建", deal.customer, deal.amount_text) if p)
            result = await rep.deals.create(NewDeal(deal.customer, money, deal.amount_text, next_at=next_at,
                                                    raw_text=raw))
            if result.deal is None:
                raise RuntimeError(f"demo deal for {deal.customer} collided: {result.collision}")
            self.deal_ids[index], self.customer_ids[index] = result.deal.id, customer.id

        def ref() -> DealRef:
            return DealRef(deal_id=self.deal_ids[index])

        async def log() -> object:
            note_kind, note = payload if isinstance(payload, tuple) else ("note", str(payload))
            return await rep.deals.log(ref(), note, note_kind, next_at, None, f"跟进 #{ref().deal_id} {note}")

        async def won() -> object:
            money = Money(Decimal(str(payload)), deal.currency) if payload else None
            return await rep.stages.won(ref(), money)

        actions: dict[str, Callable[[], Awaitable[object]]] = {
            "create": create,
            "move": lambda: rep.stages.move(ref(), str(payload)),
            "log": log,
            "won": won,
            "lost": lambda: rep.stages.lost(ref(), str(payload)),
            "release": lambda: rep.pool.release(self.customer_ids[index]),
        }
        return actions[kind]

    async def build(self) -> str:
        await self.add_people()
        steps = sorted((s for i, d in enumerate(DEALS) for s in self.steps(i, d)), key=lambda s: (s.at, s.order))
        for step in steps:
            self.clock.set(step.at)
            await step.run()
        self.clock.set(self.now)
        return self.summary()

    def summary(self) -> str:
        stages = Counter("won" if d.won else "lost" if d.lost else (d.moves[-1][0] if d.moves else "lead")
                         for d in DEALS)
        order = [s.key for s in self.services.pipeline.stages]
        by_stage = ", ".join(f"{key} {stages[key]}" for key in order if stages[key])
        overdue = sum(1 for d in DEALS if isinstance(d.next_due, int) and d.next_due < 0)
        today = sum(1 for d in DEALS if d.next_due == "today")
        pooled = sum(1 for d in DEALS if d.release is not None)
        return (f"demo team '{TEAM}': {len(PEOPLE)} users, {len(DEALS)} customers ({pooled} in the pool), "
                f"{len(DEALS)} deals ({by_stage}); follow-ups: {overdue} overdue, {today} due today.\n"
                f"Try: dealbot chat --as {DEMO_MANAGER}   (reps: li, zhang, chen)")


async def _seed(settings: Settings, clock: Callable[[], datetime]) -> str | None:
    """The demo in one transaction, or None when the database already has users."""
    from bot.app import load_secret
    from storage.crypto import ContactCipher
    from storage.engine import make_engine, make_sessionmaker
    from storage.uow import UnitOfWorkFactory

    engine = make_engine(settings.database)
    try:
        async with UnitOfWorkFactory(make_sessionmaker(engine))() as uow:
            frozen = FrozenClock(clock())
            services = Services(uow, frozen, Actor(None, "cli"), settings.pipeline,
                                ContactCipher(load_secret(settings)))
            if await services.users.list():
                return None
            summary = await _DemoBuilder(services, frozen).build()
            await uow.commit()
            return summary
    finally:
        await engine.dispose()


async def seed(settings: Settings, clock: Callable[[], datetime]) -> str:
    """Fill an empty database with the demo team; refuse (with a message) if it has users already."""
    summary = await _seed(settings, clock)
    if summary is None:
        return "The database already has users: the demo only fills an empty database (nothing changed)."
    return summary


async def seed_if_empty(settings: Settings, clock: Callable[[], datetime]) -> None:
    """For `dealbot start`: the demo on a fresh database, nothing otherwise."""
    await _seed(settings, clock)
