"""Deals, their follow-ups, logged activities and stage history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, IdType


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_owner_stage", "owner_id", "stage"),
        Index("ix_deals_team_stage", "team_id", "stage"),
        Index("ix_deals_team_created_at", "team_id", "created_at"),
        Index("ix_deals_team_closed_at", "team_id", "closed_at"),
        Index("ix_deals_owner_open", "owner_id", "stage", "deleted_at", "customer_id"),
        Index("ix_deals_owner_last_activity", "owner_id", "last_activity_at"),
        Index("ix_deals_owner_pool_open", "owner_id", "in_pool", "stage", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    stage: Mapped[str] = mapped_column(String(24))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    amount_text: Mapped[str | None] = mapped_column(String(200), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    raw_text: Mapped[str | None] = mapped_column(Text, default=None)
    lost_reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Optimistic lock: a write that lost a race across processes fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)
    # Whether the customer is in the public pool (customer.owner_id IS NULL), kept by database triggers
    # (migration 0008) whoever changes the customer; 我的 counts by it. Read it from SQL, not from an
    # object: a trigger may have changed the row after the object was loaded.
    in_pool: Mapped[bool] = mapped_column(default=False, server_default=false())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FollowUp(Base):
    """A follow-up the rep promised: open until logged, done or replaced."""

    __tablename__ = "followups"
    __table_args__ = (
        Index("ix_followups_status_due", "status", "due_at"),
        Index("ix_followups_deal_status", "deal_id", "status"),
        Index("ix_followups_owner_status_due", "owner_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | done | cancelled
    raw_text: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_deal_at", "deal_id", "occurred_at"),
        Index("ix_activities_user_occurred_at", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # call | visit | wechat | email | meeting | note
    note: Mapped[str] = mapped_column(Text)
    raw_text: Mapped[str | None] = mapped_column(Text, default=None)
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class StageChange(Base):
    """Every stage move; the funnel and time-in-stage are computed from these rows."""

    __tablename__ = "stage_history"
    __table_args__ = (
        Index("ix_stage_history_deal_at", "deal_id", "changed_at"),
        Index("ix_stage_history_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(24), default=None)
    to_stage: Mapped[str] = mapped_column(String(24))
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text, default=None)
