"""Outbox rows: enqueueing with a dedupe key, claiming due rows with a lease, marking the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Integer, Table, bindparam, false, or_, select, update

from storage.hot import HotStatement, built_once, hot_insert
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

_TABLE = cast(Table, OutboxMessage.__table__)
# Built once: building an insert costs more than running it.
_INSERT = hot_insert(_TABLE, ("platform", "target", "payload", "kind", "dedupe_key", "not_before", "created_at"),
                     returning_id=True)
_BY_DEDUPE_KEY = HotStatement(select(_TABLE.c.id).where(_TABLE.c.dedupe_key == bindparam("key")))
# Delivered rows are marked one statement each, sent as one executemany: an `IN (…)` list would be a new
# statement for every batch size.
_MARK_DELIVERED = HotStatement(update(_TABLE).where(_TABLE.c.id == bindparam("row_id")).values(
    status="delivered", delivered_at=bindparam("now"), lease_until=None))


def _claim_statement(dialect: str, platforms: tuple[str | None, ...] | None) -> Any:
    due = (
        select(_TABLE.c.id)
        .where(_TABLE.c.status == "pending", _TABLE.c.not_before <= bindparam("now"),
               or_(_TABLE.c.lease_until.is_(None), _TABLE.c.lease_until < bindparam("now")))
        .order_by(_TABLE.c.id)
        .limit(bindparam("limit", type_=Integer))
    )
    if platforms is not None:  # one comparison each, not an IN list: a hot statement takes no expanding list
        due = due.where(or_(false(), *(_TABLE.c.platform.is_(None) if platform is None
                                       else _TABLE.c.platform == platform for platform in platforms)))
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # MATERIALIZED: as a plain `IN (subquery)` PostgreSQL may run the LIMIT … SKIP LOCKED subquery again
    # for each row it joins, claiming more than `limit` rows in one batch.
    picked = due.cte("picked").prefix_with("MATERIALIZED")
    return (update(_TABLE).where(_TABLE.c.id.in_(select(picked.c.id)))
            .values(lease_until=bindparam("lease_until"), attempts=_TABLE.c.attempts + 1)
            .returning(_TABLE.c.id, _TABLE.c.platform, _TABLE.c.target, _TABLE.c.payload, _TABLE.c.attempts))


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
        if dedupe_key is not None and await _BY_DEDUPE_KEY.scalar(session, {"key": dedupe_key}) is not None:
            return None
        # A Core INSERT: an ORM object would cost a flush of its own for a row nothing reads back.
        return cast(int, await _INSERT.scalar(session, {
            "platform": platform, "target": target, "payload": payload, "kind": kind, "dedupe_key": dedupe_key,
            "not_before": not_before or now, "created_at": now}))

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta,
                        platforms: Sequence[str | None] | None = None) -> list[ClaimedRow]:
        """Pending rows whose time has come and whose lease (if any) ran out, leased to the caller, in id order;
        only rows for `platforms` when given (None in it: rows with no platform).

        One statement: UPDATE … WHERE id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING, so
        concurrent workers on PostgreSQL never claim the same row and a batch costs one round trip.
        """
        key = (self.uow.dialect, None if platforms is None else tuple(platforms))
        statement = built_once(("outbox claim", *key), lambda: _claim_statement(*key))
        rows = await statement.rows(self.uow.session, {"now": now, "limit": limit, "lease_until": now + lease})
        return sorted((ClaimedRow(*row) for row in rows), key=lambda r: r.id)

    async def mark_delivered(self, message_ids: Sequence[int], now: datetime) -> None:
        await _MARK_DELIVERED.run_many(self.uow.session, [{"row_id": row_id, "now": now}
                                                          for row_id in sorted(message_ids)])

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
