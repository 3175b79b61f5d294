"""SQL building blocks for analytics: scope filters, the stage history without undone moves, stay lengths.

Everything aggregates in the database and runs on both SQLite and PostgreSQL (window functions, no
percentile functions: medians use row_number over count).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from storage.analytics_dto import Scope
from storage.models import Deal, StageChange
from storage.pipeline import CLOSED, LOST, WON

UNDO = "undo"


def deal_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Deals of the scope that are not soft-deleted."""
    where = [Deal.team_id == scope.team_id, Deal.deleted_at.is_(None)]
    if scope.owner_id is not None:
        where.append(Deal.owner_id == scope.owner_id)
    return where


def not_undo(reason: Any) -> ColumnElement[bool]:
    return or_(reason.is_(None), reason != UNDO)


def kept_history(deal_filter: list[ColumnElement[bool]]) -> CTE:
    """Stage rows of the filtered deals, minus undo rows and the rows they undid.

    An undo writes a reverse row with reason "undo" right after the move it takes back; dropping both
    leaves the history as if the move never happened (the funnel and stay lengths then ignore it).
    """
    order = (StageChange.changed_at, StageChange.id)
    raw = (
        select(StageChange.id, StageChange.deal_id, StageChange.to_stage, StageChange.changed_at, StageChange.reason,
               func.lead(StageChange.reason).over(partition_by=StageChange.deal_id, order_by=order)
               .label("next_reason"))
        .join(Deal, Deal.id == StageChange.deal_id)
        .where(*deal_filter)
        .cte("raw_history")
    )
    return (
        select(raw.c.id, raw.c.deal_id, raw.c.to_stage, raw.c.changed_at)
        .where(not_undo(raw.c.reason), not_undo(raw.c.next_reason))
        .cte("kept_history")
    )


def furthest_stage_counts(kept: CTE, open_keys: list[str]) -> Select[*tuple[Any, ...]]:
    """Per (furthest rank reached, lost?) the number of deals; won ranks after the last open stage."""
    ranks = {key: i for i, key in enumerate(open_keys)} | {WON: len(open_keys)}
    rank = case(ranks, value=kept.c.to_stage, else_=-1)
    was_lost = case((kept.c.to_stage == LOST, 1), else_=0)
    per_deal = (
        select(kept.c.deal_id, func.max(rank).label("top"), func.max(was_lost).label("lost"))
        .group_by(kept.c.deal_id)
        .subquery("per_deal")
    )
    return select(per_deal.c.top, per_deal.c.lost, func.count()).group_by(per_deal.c.top, per_deal.c.lost)


def days_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", end - start) / literal(86400.0)
    return func.julianday(end) - func.julianday(start)


def median_stay_days(kept: CTE, dialect: str) -> Select[*tuple[Any, ...]]:
    """Median days per stage over completed stays (a stay ends at the deal's next kept stage row)."""
    following = func.lead(kept.c.changed_at).over(partition_by=kept.c.deal_id,
                                                    order_by=(kept.c.changed_at, kept.c.id))
    stays = select(kept.c.to_stage.label("stage"),
                   days_between(kept.c.changed_at, following, dialect).label("days")).cte("stays")
    ranked = (
        select(stays.c.stage, stays.c.days,
               func.row_number().over(partition_by=stays.c.stage, order_by=stays.c.days).label("rn"),
               func.count().over(partition_by=stays.c.stage).label("n"))
        .where(stays.c.days.is_not(None), stays.c.stage.not_in(CLOSED))
        .subquery("ranked")
    )
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    return select(ranked.c.stage, func.avg(ranked.c.days)).where(middle).group_by(ranked.c.stage)


def undone(row: Any) -> ColumnElement[bool]:
    """An undo row right after `row` that reversed it (the move was taken back)."""
    later = aliased(StageChange)
    return (
        select(later.id)
        .where(later.deal_id == row.deal_id, later.reason == UNDO, later.from_stage == row.to_stage,
               later.id > row.id)
        .exists()
    )


def changes_in(scope: Scope, since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    """Stage rows of the scope's deals in [since, until), undo rows and undone moves left out."""
    return [StageChange.changed_at >= since, StageChange.changed_at < until, not_undo(StageChange.reason),
            ~undone(StageChange), *deal_scope(scope)]


def closed_in(scope: Scope, since: datetime, until: datetime, stage: str) -> list[ColumnElement[bool]]:
    """Deals closed as `stage` in the window and still closed that way."""
    return [*changes_in(scope, since, until), StageChange.to_stage == stage, Deal.stage == stage]


def entered_current_stage() -> ColumnElement[datetime]:
    """When a deal entered the stage it is in: its latest stage row (one index probe per deal)."""
    return (
        select(func.max(StageChange.changed_at))
        .where(StageChange.deal_id == Deal.id)
        .correlate(Deal)
        .scalar_subquery()
    )


def stale_condition(stale_after: dict[str, datetime]) -> ColumnElement[bool]:
    """Open deals idle since before their stage's threshold instant."""
    return or_(*(and_(Deal.stage == stage, Deal.last_activity_at < at) for stage, at in stale_after.items()))
