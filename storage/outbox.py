"""Outbox rows: enqueueing with a dedupe key, claiming due rows with a lease, marking the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, Table, bindparam, or_, select, update

from storage.models import OutboxMessage
from storage.uow import UnitOfWork

_TABLE = cast(Table, OutboxMessage.__table__)
# Built once: building an insert costs more than running it.
_INSERT = _TABLE.insert().values(
    {name: bindparam(name) for name in ("platform", "target", "payload", "kind", "dedupe_key", "not_before",
                                        "created_at")}).returning(_TABLE.c.id)


class ClaimedRow(NamedTuple):
    id: int
    platform: str | None
    target: dict[str, Any]
    payload: dict[str, Any]
    attempts: int


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
        # A Core INSERT: an ORM object would cost a flush of its own for a row nothing reads back.
        return cast(int, await session.scalar(_INSERT, {
            "platform": platform, "target": target, "payload": payload, "kind": kind, "dedupe_key": dedupe_key,
            "not_before": not_before or now, "created_at": now}))

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta,
                        where: ColumnElement[bool] | None = None) -> list[ClaimedRow]:
        """Pending rows whose time has come and whose lease (if any) ran out, leased to the caller, in id order.

        One statement: UPDATE … WHERE id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING, so
        concurrent workers on PostgreSQL never claim the same row and a batch costs one round trip.
        """
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now,
                   or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if where is not None:
            due = due.where(where)
        if self.uow.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        # MATERIALIZED: as a plain `IN (subquery)` PostgreSQL may run the LIMIT … SKIP LOCKED subquery again
        # for each row it joins, claiming more than `limit` rows in one batch.
        picked = due.cte("picked").prefix_with("MATERIALIZED")
        rows = await self.uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(select(picked.c.id)))
            .values(lease_until=now + lease, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id, OutboxMessage.platform, OutboxMessage.target, OutboxMessage.payload,
                       OutboxMessage.attempts),
            execution_options={"synchronize_session": False},
        )
        return sorted((ClaimedRow(*row) for row in rows), key=lambda r: r.id)

    async def mark_delivered(self, message_ids: Sequence[int], now: datetime) -> None:
        await self.uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(sorted(message_ids)))
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
