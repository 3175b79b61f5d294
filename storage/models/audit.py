"""Audit log, and the inbox/outbox tables that make receiving and pushing idempotent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, IdType


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_actor_at", "actor_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[int | None] = mapped_column(default=None)
    platform: Mapped[str | None] = mapped_column(String(16), default=None)
    message_id: Mapped[str | None] = mapped_column(String(128), default=None)
    before: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    at: Mapped[datetime]
    # Undo bookkeeping: an entry that can be undone, and whether it was.
    undoable: Mapped[bool] = mapped_column(default=False)
    undone_at: Mapped[datetime | None] = mapped_column(default=None)


class InboxEvent(Base):
    """Every inbound event key seen: a platform retry finds its key here and is dropped.

    A platform event is recorded with its payload (status `received`) before the platform gets its
    ack, and marked `done` in the transaction that handles it; `received` rows left by a crash are
    handled again on start-up. When `serve` handles events in a separate process, that process claims
    rows first (status `handling`, `claimed_at`); a claim older than its lease is taken again, and an
    event whose handling raised is kept as `failed` (never claimed again) for a person to look at.
    """

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("platform", "event_key"), Index("ix_inbox_status_received", "status",
                                                                        "received_at"))

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="received")
    event: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxMessage(Base):
    """A reply or push, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    platform: Mapped[str | None] = mapped_column(String(16), default=None)
    target: Mapped[dict[str, Any]]
    payload: Mapped[dict[str, Any]]
    kind: Mapped[str] = mapped_column(String(24), default="reply")
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
