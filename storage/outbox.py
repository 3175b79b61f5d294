"""Outbox rows: enqueueing with a dedupe key, claiming due rows with a lease, marking the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update

from storage.models import OutboxMessage
from storage.uow import UnitOfWork


class OutboxRepo:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def enqueue(self, *, target: dict[str, Any], payload: dict[str, Any], now: datetime, kind: str = "reply",
                      platform: str | None = None, dedupe_key: str | None = None,
                      not_before: datetime | None = None) -> int | None:
        """Add a message; with a dedupe key already present nothing is added and None comes back."""
        session = self.uow.session
        if dedupe_key is not None and await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        ) is not None:
            return None
        row = OutboxMessage(platform=platform, target=target, payload=payload, kind=kind, dedupe_key=dedupe_key,
                            not_before=not_before or now, created_at=now)
        session.add(row)
        await session.flush()
        return row.id

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta,
                        where: ColumnElement[bool] | None = None) -> list[OutboxMessage]:
        """Pending rows whose time has come and whose lease (if any) ran out, leased to the caller."""
        session = self.uow.session
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now,
                   or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if where is not None:
            query = query.where(where)
        if self.uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(await session.scalars(query))
        for row in rows:
            row.lease_until = now + lease
            row.attempts += 1
        await session.flush()
        return rows

    async def mark_delivered(self, message_id: int, now: datetime) -> None:
        await self.uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status="delivered", delivered_at=now, lease_until=None)
        )

    async def mark_retry(self, message_id: int, *, at: datetime, error: str, dead: bool = False,
                         refund: bool = False) -> None:
        """Back to pending (or dead); `refund` gives back the attempt the claim counted (a rate-limit wait)."""
        # A worker whose lease ran out may report a failure after another worker delivered the row:
        # that must not put a delivered row back in the queue.
        values: dict[str, object] = {"status": "dead" if dead else "pending", "not_before": at, "lease_until": None,
                                     "last_error": error[:2000]}
        if refund:
            values["attempts"] = OutboxMessage.attempts - 1
        await self.uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status != "delivered")
            .values(values)
        )
