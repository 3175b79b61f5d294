"""Reminder preferences per rep, and the ledger of reasons already pushed (dedupe that survives purges)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, IdType


class ReminderPref(Base):
    """A rep turned a kind of reminder (nudge, overdue, stale, pool, digest) off or back on."""

    __tablename__ = "reminder_prefs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime]


class ReminderMark(Base):
    """One reason pushed once (`overdue1:17`, `nudge:42:2026-11-27`): inserted before the outbox row,
    in the same transaction, so concurrent scheduler instances push each reason exactly once."""

    __tablename__ = "reminder_marks"
    __table_args__ = (Index("ix_reminder_marks_kind_ref", "kind", "ref_id"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[int] = mapped_column(BigInteger)
    scope: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime]
