"""Frozen figures that the analytics service returns: funnel, money, per-rep rows, digest and weekly review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from storage.dto import Money


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose deals: a whole team, or one rep of it (`owner_id`)."""

    team_id: int
    owner_id: int | None = None


@dataclass(frozen=True, slots=True)
class TeamInfo:
    """A team as the scheduler sees it: where its group is and what its clock says."""

    id: int
    name: str
    tz: str
    locale: str
    country: str


@dataclass(frozen=True, slots=True)
class Ratio:
    """An exact share (numerator over denominator); `value` is None when nothing was counted."""

    num: int
    den: int

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    def percent(self) -> str:
        return "-" if not self.den else f"{100 * self.num / self.den:.0f}%"


@dataclass(frozen=True, slots=True)
class FunnelStage:
    """Deals that reached this stage or went beyond it, the share that went on, median days spent here."""

    stage: str
    reached: int
    to_next: Ratio | None  # None for won (the end of the funnel)
    median_days: float | None


@dataclass(frozen=True, slots=True)
class Funnel:
    since: datetime
    until: datetime
    stages: tuple[FunnelStage, ...]  # open stages in pipeline order, then won
    won: int
    lost: int

    @property
    def win_rate(self) -> Ratio:
        return Ratio(self.won, self.won + self.lost)

    @property
    def deals(self) -> int:
        return self.stages[0].reached if self.stages else 0


@dataclass(frozen=True, slots=True)
class StageMoney:
    stage: str
    currency: str
    deals: int
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True, slots=True)
class PipelineValue:
    """Open deals: Σ amount and Σ amount × stage probability, per currency; `unpriced` deals have no amount."""

    by_stage: tuple[StageMoney, ...]
    open_deals: int
    unpriced: int

    def weighted(self) -> tuple[Money, ...]:
        return _per_currency((s.currency, s.weighted) for s in self.by_stage)

    def total(self) -> tuple[Money, ...]:
        return _per_currency((s.currency, s.amount) for s in self.by_stage)


@dataclass(frozen=True, slots=True)
class Forecast:
    """The month's forecast per currency: won this month plus the weighted open deals expected to close in it."""

    month: str  # YYYY-MM, team time
    won: tuple[Money, ...]
    expected: tuple[Money, ...]
    expected_deals: int

    def total(self) -> tuple[Money, ...]:
        return _per_currency([(m.currency, m.amount) for m in (*self.won, *self.expected)])


@dataclass(frozen=True, slots=True)
class RepFigures:
    user_id: int
    login: str
    name: str
    new_deals: int
    followups_logged: int
    overdue: int
    stale: int
    won_deals: int
    won: tuple[Money, ...]


@dataclass(frozen=True, slots=True)
class DealLine:
    deal_id: int
    customer: str
    owner: str
    stage: str
    money: Money | None
    reason: str | None = None
    from_stage: str | None = None
    days_idle: int | None = None


@dataclass(frozen=True, slots=True)
class Changes:
    """What happened in a period: new deals, stage moves, won and lost (totals and the first few lines)."""

    new_count: int
    new: tuple[DealLine, ...]
    moves_count: int
    moves: tuple[DealLine, ...]
    won_count: int
    won: tuple[DealLine, ...]
    won_total: tuple[Money, ...]
    lost_count: int
    lost: tuple[DealLine, ...]
    lost_total: tuple[Money, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    scope: Scope
    since: datetime
    until: datetime
    now: datetime
    changes: Changes
    reps: tuple[RepFigures, ...]
    stale_count: int
    stale: tuple[DealLine, ...]
    funnel: Funnel
    pipeline: PipelineValue
    forecast: Forecast


@dataclass(frozen=True, slots=True)
class StageFlow:
    """How many deals entered a stage in the week, and in the week before."""

    stage: str
    entered: int
    entered_before: int


@dataclass(frozen=True, slots=True)
class WeeklyReview:
    scope: Scope
    week_start: date  # Monday, team time
    since: datetime
    until: datetime
    reps: tuple[RepFigures, ...]
    flow: tuple[StageFlow, ...]
    changes: Changes
    funnel: Funnel
    pipeline: PipelineValue


def _per_currency(pairs: Iterable[tuple[str, Decimal]]) -> tuple[Money, ...]:
    sums: dict[str, Decimal] = {}
    for currency, amount in pairs:
        sums[currency] = sums.get(currency, Decimal(0)) + amount
    return tuple(Money(amount, currency) for currency, amount in sorted(sums.items()))
