"""Analytics over a period: what changed (new, moved, won, lost), stale deals, per-rep figures, stage flow."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, null, or_, select

from storage.analytics_dto import Changes, DealLine, RepFigures, Scope, StageFlow
from storage.dto import Money
from storage.models import Activity, Customer, Deal, FollowUp, StageChange, User
from storage.pipeline import CLOSED, LOST, WON, Pipeline
from storage.services.analytics_sql import changes_in, deal_scope, stale_condition
from storage.services.base import ServiceContext

LINES = 10  # deal lines shown per section; the counts cover everything
MOVE = "move"
WonByOwner = dict[int, tuple[int, tuple[Money, ...]]]


class PeriodAnalytics:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.pipeline = Pipeline(ctx.pipeline)
        self.currency = ctx.pipeline.default_currency

    def _money(self, amount: Decimal | None, currency: str | None) -> Money | None:
        return None if amount is None else Money(amount, currency or self.currency)

    async def closed_total(self, where: list[ColumnElement[bool]]) -> tuple[Money, ...]:
        rows = await self.ctx.session.execute(
            select(Deal.currency, func.sum(Deal.amount)).select_from(StageChange)
            .join(Deal, Deal.id == StageChange.deal_id).where(*where, Deal.amount.is_not(None))
            .group_by(Deal.currency)
        )
        return _sum_money((c or self.currency, Decimal(a)) for c, a in rows if a is not None)

    def _period_rows(self, scope: Scope, since: datetime, until: datetime) -> list[ColumnElement[bool]]:
        """Moves between stages and closes in the window (a close only while the deal is still closed so)."""
        still_so = or_(StageChange.to_stage.not_in(CLOSED), Deal.stage == StageChange.to_stage)
        return [*changes_in(scope, since, until), StageChange.from_stage.is_not(None), still_so]

    async def changes(self, scope: Scope, since: datetime, until: datetime) -> tuple[Changes, WonByOwner]:
        """What happened in [since, until), and the deals won per owner (count, money per currency).

        Three queries: new deals (lines with their total), the moves aggregated per kind, owner and
        currency, and the first lines of each kind.
        """
        session = self.ctx.session
        kind = case((StageChange.to_stage == WON, WON), (StageChange.to_stage == LOST, LOST), else_=MOVE)
        where = self._period_rows(scope, since, until)
        counts: dict[str, int] = {MOVE: 0, WON: 0, LOST: 0}
        totals: dict[str, list[tuple[str, Decimal]]] = {WON: [], LOST: []}
        won_by_owner: WonByOwner = {}
        for k, owner, currency, count, amount in await session.execute(
            select(kind, Deal.owner_id, Deal.currency, func.count(), func.sum(Deal.amount)).select_from(StageChange)
            .join(Deal, Deal.id == StageChange.deal_id).where(*where).group_by(kind, Deal.owner_id, Deal.currency)
        ):
            counts[k] += int(count)
            money = (currency or self.currency, Decimal(amount)) if amount is not None else None
            if k in totals and money is not None:
                totals[k].append(money)
            if k == WON:
                n, amounts = won_by_owner.get(owner, (0, ()))
                won_by_owner[owner] = (n + int(count), _sum_money([*((m.currency, m.amount) for m in amounts),
                                                                   *([money] if money else [])]))
        rank = func.row_number().over(partition_by=kind, order_by=(StageChange.changed_at, StageChange.id))
        ranked = (
            select(kind.label("kind"), Deal.id, Customer.name.label("customer"), User.name.label("owner"),
                   StageChange.to_stage.label("stage"), Deal.amount, Deal.currency, StageChange.from_stage,
                   StageChange.reason, rank.label("rn"))
            .select_from(StageChange).join(Deal, Deal.id == StageChange.deal_id)
            .join(Customer, Customer.id == Deal.customer_id).join(User, User.id == Deal.owner_id)
            .where(*where).subquery("ranked")
        )
        lines: dict[str, list[DealLine]] = {MOVE: [], WON: [], LOST: []}
        for r in await session.execute(select(ranked).where(ranked.c.rn <= LINES).order_by(ranked.c.rn)):
            lines[r.kind].append(self._line(r))
        new_count, new_lines = await self._new(scope, since, until)
        return Changes(
            new_count=new_count, new=new_lines,
            moves_count=counts[MOVE], moves=tuple(lines[MOVE]),
            won_count=counts[WON], won=tuple(lines[WON]), won_total=_sum_money(totals[WON]),
            lost_count=counts[LOST], lost=tuple(lines[LOST]), lost_total=_sum_money(totals[LOST]),
        ), won_by_owner

    def _line(self, r: Any) -> DealLine:
        return DealLine(r.id, r.customer, r.owner, r.stage, self._money(r.amount, r.currency), reason=r.reason,
                        from_stage=r.from_stage)

    async def _new(self, scope: Scope, since: datetime, until: datetime) -> tuple[int, tuple[DealLine, ...]]:
        """Deals created in the window: how many (a window count, so one query) and the first lines."""
        rows = list(await self.ctx.session.execute(
            select(Deal.id, Customer.name.label("customer"), User.name.label("owner"), Deal.stage, Deal.amount,
                   Deal.currency, Deal.lost_reason.label("reason"), null().label("from_stage"),
                   func.count().over().label("total"))
            .join(Customer, Customer.id == Deal.customer_id).join(User, User.id == Deal.owner_id)
            .where(*deal_scope(scope), Deal.created_at >= since, Deal.created_at < until)
            .order_by(Deal.created_at, Deal.id).limit(LINES)
        ))
        return (int(rows[0].total) if rows else 0), tuple(self._line(r) for r in rows)

    def stale_after(self, now: datetime) -> dict[str, datetime]:
        return {s.key: now - timedelta(days=s.stale_days) for s in self.pipeline.stages
                if s.stale_days is not None and s.key not in CLOSED}

    async def stale(self, scope: Scope, now: datetime) -> tuple[int, tuple[DealLine, ...], dict[int, int]]:
        """Open deals with no activity for their stage's `stale_days`: total, the longest idle, per owner."""
        thresholds = self.stale_after(now)
        if not thresholds:
            return 0, (), {}
        where = [*deal_scope(scope), stale_condition(thresholds)]
        per_owner = {int(o): int(n) for o, n in await self.ctx.session.execute(
            select(Deal.owner_id, func.count()).where(*where).group_by(Deal.owner_id))}
        rows = await self.ctx.session.execute(
            select(Deal.id, Customer.name, User.name, Deal.stage, Deal.amount, Deal.currency, Deal.last_activity_at)
            .join(Customer, Customer.id == Deal.customer_id).join(User, User.id == Deal.owner_id)
            .where(*where).order_by(Deal.last_activity_at, Deal.id).limit(LINES)
        )
        lines = tuple(DealLine(i, customer, owner, stage, self._money(amount, currency),
                               days_idle=(now - last).days)
                      for i, customer, owner, stage, amount, currency, last in rows)
        return sum(per_owner.values()), lines, per_owner

    async def reps(self, scope: Scope, since: datetime, until: datetime, now: datetime,
                   stale: dict[int, int], won: WonByOwner) -> tuple[RepFigures, ...]:
        """New deals, follow-ups logged, open overdue follow-ups, stale deals and won amount per rep."""
        session = self.ctx.session
        people = select(User.id, User.login, User.name, User.role).where(User.team_id == scope.team_id,
                                                                           User.active.is_(True))
        if scope.owner_id is not None:
            people = select(User.id, User.login, User.name, User.role).where(User.id == scope.owner_id)
        users = list(await session.execute(people.order_by(User.login)))
        ids = [u.id for u in users]
        new = await self._per_user(select(Deal.owner_id, func.count()).where(
            *deal_scope(scope), Deal.created_at >= since, Deal.created_at < until).group_by(Deal.owner_id))
        logged = await self._per_user(
            select(Activity.user_id, func.count()).join(Deal, Deal.id == Activity.deal_id)
            .where(Activity.user_id.in_(ids), Activity.occurred_at >= since, Activity.occurred_at < until,
                   Activity.deleted_at.is_(None), Deal.deleted_at.is_(None)).group_by(Activity.user_id))
        # Closing a deal or undoing its creation cancels its open follow-ups, so open ones belong to open,
        # live deals: counting them needs no join (an index-only count on owner, status, due).
        overdue = await self._per_user(
            select(FollowUp.owner_id, func.count())
            .where(FollowUp.owner_id.in_(ids), FollowUp.status == "open", FollowUp.due_at < now)
            .group_by(FollowUp.owner_id))
        figures = (
            RepFigures(u.id, u.login, u.name, new.get(u.id, 0), logged.get(u.id, 0), overdue.get(u.id, 0),
                       stale.get(u.id, 0), *won.get(u.id, (0, ())))
            for u in users
        )
        # Reps always show; managers and admins only when they have figures of their own.
        return tuple(f for f, u in zip(figures, users, strict=True) if u.role == "rep" or _any(f)
                     or scope.owner_id is not None)

    async def _per_user(self, query: Select[*tuple[Any, ...]]) -> dict[int, int]:
        return {int(k): int(n) for k, n in await self.ctx.session.execute(query)}

    async def flow(self, scope: Scope, since: datetime, until: datetime,
                   before: datetime) -> tuple[StageFlow, ...]:
        """Deals entering each stage in [since, until) and in [before, since): the funnel's movement."""
        async def entered(start: datetime, end: datetime) -> dict[str, int]:
            rows = await self.ctx.session.execute(
                select(StageChange.to_stage, func.count(func.distinct(StageChange.deal_id)))
                .join(Deal, Deal.id == StageChange.deal_id).where(*changes_in(scope, start, end))
                .group_by(StageChange.to_stage))
            return {stage: int(n) for stage, n in rows}

        now, earlier = await entered(since, until), await entered(before, since)
        return tuple(StageFlow(s.key, now.get(s.key, 0), earlier.get(s.key, 0)) for s in self.pipeline.stages)


def _any(figures: RepFigures) -> bool:
    return bool(figures.new_deals or figures.followups_logged or figures.overdue or figures.stale
                or figures.won_deals)


def _sum_money(pairs: Iterable[tuple[str, Decimal]]) -> tuple[Money, ...]:
    sums: dict[str, Decimal] = {}
    for currency, amount in pairs:
        sums[currency] = sums.get(currency, Decimal(0)) + Decimal(amount)
    return tuple(Money(a, c) for c, a in sorted(sums.items()))
