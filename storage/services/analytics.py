"""Pipeline analytics from the stage history: funnel and conversion, time in stage, win rate, weighted
pipeline, month forecast, per-rep figures; and the daily digest and weekly review built from them.

Soft-deleted deals never count. Amounts stay Decimal and are summed per currency, never converted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select

from config import PipelineSettings
from storage.analytics_dto import (
    Digest,
    Forecast,
    Funnel,
    FunnelStage,
    PipelineValue,
    Ratio,
    Scope,
    StageMoney,
    WeeklyReview,
)
from storage.crypto import ContactCipher
from storage.dto import Actor, Money
from storage.models import Deal
from storage.pipeline import WON, Pipeline
from storage.services.analytics_periods import funnel_window, month_window, week_window
from storage.services.analytics_reps import PeriodAnalytics
from storage.services.analytics_sql import (
    deal_scope,
    entered_current_stage,
    furthest_stage_counts,
    kept_history,
    median_stay_days,
)
from storage.services.base import ServiceContext
from storage.uow import UnitOfWork


class AnalyticsService:
    """Read-only figures for a scope (a team, or one rep); the caller decides who may see amounts."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.pipeline = Pipeline(ctx.pipeline)
        self.period = PeriodAnalytics(ctx)
        self.currency = ctx.pipeline.default_currency

    @property
    def _open_keys(self) -> list[str]:
        return self.pipeline.open_keys

    async def medians(self, scope: Scope, since: datetime, until: datetime) -> dict[str, float]:
        """Median days spent in each open stage by the deals created in [since, until) (completed stays)."""
        kept = kept_history([*deal_scope(scope), Deal.created_at >= since, Deal.created_at < until])
        rows = await self.ctx.session.execute(median_stay_days(kept, self.ctx.uow.dialect))
        return {stage: round(float(days), 2) for stage, days in rows if days is not None}

    async def funnel(self, scope: Scope, since: datetime, until: datetime,
                     medians: dict[str, float] | None = None) -> Funnel:
        """The funnel of the deals created in [since, until), from their whole stage history.

        A deal counts at every stage up to the furthest one it reached (a skipped stage counts as
        passed), so each count is at most the one before and conversion never exceeds 100%.
        """
        keys = self._open_keys
        kept = kept_history([*deal_scope(scope), Deal.created_at >= since, Deal.created_at < until])
        reached = [0] * (len(keys) + 1)
        lost = 0
        for top, was_lost, count in await self.ctx.session.execute(furthest_stage_counts(kept, keys)):
            for rank in range(int(top) + 1):
                reached[rank] += int(count)
            lost += int(count) if was_lost else 0
        if medians is None:
            medians = await self.medians(scope, since, until)
        stages = [FunnelStage(key, reached[i], Ratio(reached[i + 1], reached[i]), medians.get(key))
                  for i, key in enumerate(keys)]
        stages.append(FunnelStage(WON, reached[-1], None, None))
        return Funnel(since, until, tuple(stages), won=reached[-1], lost=lost)

    async def pipeline_value(self, scope: Scope) -> PipelineValue:
        """Open deals now: per stage and currency, Σ amount and Σ amount × the stage's probability."""
        rows = await self.ctx.session.execute(
            select(Deal.stage, Deal.currency, func.count(), func.count(Deal.amount), func.sum(Deal.amount))
            .where(*deal_scope(scope), Deal.stage.in_(self._open_keys))
            .group_by(Deal.stage, Deal.currency)
        )
        return self._value([tuple(r) for r in rows])

    def _value(self, rows: list[tuple[Any, ...]]) -> PipelineValue:
        """(stage, currency, deals, priced deals, Σ amount) rows, merged into the pipeline's value."""
        merged: dict[tuple[str, str], tuple[int, Decimal]] = {}
        open_deals = unpriced = 0
        for stage, currency, count, priced, amount in rows:
            open_deals += int(count)
            unpriced += int(count) - int(priced)
            if amount is None:
                continue
            key = (stage, currency or self.currency)
            deals, total = merged.get(key, (0, Decimal(0)))
            merged[key] = (deals + int(priced), total + Decimal(amount))
        order = {k: i for i, k in enumerate(self._open_keys)}
        by_stage = tuple(
            StageMoney(stage, currency, deals, total, total * self.pipeline.get(stage).probability)
            for (stage, currency), (deals, total) in sorted(merged.items(), key=lambda i: (order[i[0][0]], i[0][1]))
        )
        return PipelineValue(by_stage, open_deals, unpriced)

    def _close_by(self, end: datetime, medians: dict[str, float]) -> dict[str, datetime]:
        """Per open stage: the latest entry into it that is still expected to close by `end`."""
        thresholds: dict[str, datetime] = {}
        remaining = 0.0
        for key in reversed(self._open_keys):
            days = medians.get(key)
            remaining += days if days is not None else float(self.pipeline.get(key).stale_days or 0)
            thresholds[key] = end - timedelta(days=remaining)
        return thresholds

    async def forecast(self, scope: Scope, now: datetime, tz: str,
                       medians: dict[str, float]) -> tuple[PipelineValue, Forecast]:
        """The weighted pipeline, and the month's forecast: won so far this month plus the weighted value
        of the open deals expected to close in it.

        An open deal is expected this month when the time it entered its current stage, plus the
        median days of that stage and of every later open stage, falls before the month ends. A stage
        without a median yet counts its `stale_days` (or nothing). Months are in team time. One query
        over the open deals gives both figures; a second sums this month's wins.
        """
        start, end, label = month_window(now, tz)
        inner = (
            select(Deal.stage, Deal.currency, Deal.amount, entered_current_stage().label("entered"))
            .where(*deal_scope(scope), Deal.stage.in_(self._open_keys))
            .subquery("open_deals")
        )
        due = case(*((and_(inner.c.stage == k, inner.c.entered < at), 1)
                     for k, at in self._close_by(end, medians).items()), else_=0).label("due")
        rows = [tuple(r) for r in await self.ctx.session.execute(
            select(inner.c.stage, inner.c.currency, due, func.count(), func.count(inner.c.amount),
                   func.sum(inner.c.amount))
            .group_by(inner.c.stage, inner.c.currency, due)
        )]
        expected = self._value([(r[0], r[1], *r[3:]) for r in rows if r[2] == 1])
        # Won this month from the deal's close time (set by the move to won), which an index finds directly.
        won = _money(self.currency, await self.ctx.session.execute(
            select(Deal.currency, func.sum(Deal.amount))
            .where(*deal_scope(scope), Deal.closed_at >= start, Deal.closed_at < now, Deal.stage == WON)
            .group_by(Deal.currency)))
        forecast = Forecast(label, won, expected.weighted(), expected.open_deals - expected.unpriced)
        return self._value([(r[0], r[1], *r[3:]) for r in rows]), forecast

    async def digest(self, scope: Scope, since: datetime, until: datetime, tz: str) -> Digest:
        """Everything the daily digest shows; changes cover [since, until), standing figures are as of now."""
        now = self.ctx.now()
        funnel_since, funnel_until = funnel_window(now, tz)
        medians = await self.medians(scope, funnel_since, funnel_until)
        stale_count, stale_lines, stale_by_owner = await self.period.stale(scope, now)
        changes, won = await self.period.changes(scope, since, until)
        value, forecast = await self.forecast(scope, now, tz, medians)
        return Digest(
            scope=scope, since=since, until=until, now=now, changes=changes,
            reps=await self.period.reps(scope, since, until, now, stale_by_owner, won),
            stale_count=stale_count, stale=stale_lines,
            funnel=await self.funnel(scope, funnel_since, funnel_until, medians),
            pipeline=value, forecast=forecast,
        )

    async def weekly(self, scope: Scope, monday: date, tz: str) -> WeeklyReview:
        """The review of the week starting `monday` (team time): per-rep figures and the funnel's movement."""
        now = self.ctx.now()
        since, until = week_window(monday, tz)
        before, _ = week_window(monday - timedelta(days=7), tz)
        _, _, stale_by_owner = await self.period.stale(scope, now)
        funnel_since, funnel_until = funnel_window(now, tz)
        changes, won = await self.period.changes(scope, since, until)
        return WeeklyReview(
            scope=scope, week_start=monday, since=since, until=until,
            reps=await self.period.reps(scope, since, until, now, stale_by_owner, won),
            flow=await self.period.flow(scope, since, until, before), changes=changes,
            funnel=await self.funnel(scope, funnel_since, funnel_until),
            pipeline=await self.pipeline_value(scope),
        )


def analytics_for(uow: UnitOfWork, clock: Callable[[], datetime], pipeline: PipelineSettings) -> AnalyticsService:
    """Analytics for a scheduled job, which has no acting user. Reports read no contact data, so the
    context gets a throwaway cipher rather than the real key."""
    ctx = ServiceContext(uow, clock, Actor(None, "scheduler"), pipeline, ContactCipher(secrets.token_urlsafe(16)))
    return AnalyticsService(ctx)


def _money(default: str, rows: Iterable[Any]) -> tuple[Money, ...]:
    sums: dict[str, Decimal] = {}
    for currency, amount in rows:
        if amount is not None:
            key = currency or default
            sums[key] = sums.get(key, Decimal(0)) + Decimal(amount)
    return tuple(Money(a, c) for c, a in sorted(sums.items()))
