"""Inbox rows: an inbound event is recorded once, before its ack, and claimed by the one transaction
that handles it; platform retries find the key and are dropped."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.engine import dump_json
from storage.hot import HotStatement
from storage.models import InboxEvent
from storage.uow import UnitOfWork

NewEvent = tuple[str, str, dict[str, Any]]  # platform, event key, event


async def insert_new(conn: AsyncConnection, events: list[NewEvent], now: datetime) -> set[tuple[str, str]]:
    """Record events in ONE statement; returns the (platform, event key) pairs that were new.

    A key already present (a platform retry) is skipped by the unique constraint instead of a SELECT
    first: `INSERT … ON CONFLICT DO NOTHING RETURNING`. The statement goes straight to the driver: this
    write precedes every ack, and SQLAlchemy's statement and result set-up cost 0.7 ms of CPU a call
    against 0.15 ms through asyncpg (docs/benchmarks.md, "Serving"). On an AUTOCOMMIT connection
    (storage.engine.make_inbox_engine) the statement is its own transaction: committed when this returns.
    """
    driver: Any = (await conn.get_raw_connection()).driver_connection
    table = cast(Table, InboxEvent.__table__)
    events_json = [dump_json(event) for _, _, event in events]
    if conn.dialect.name == "postgresql":  # asyncpg: one prepared statement whatever the group size
        rows = await driver.fetch(_PG_INSERT_NEW, [p for p, _, _ in events], [k for _, k, _ in events],
                                  [now] * len(events), events_json)
        return {(row[0], row[1]) for row in rows}
    # aiosqlite: the column type's own conversion, so the stored instant compares with SQLAlchemy's.
    received = table.c.received_at.type.bind_processor(conn.dialect)
    stamp = received(now) if received is not None else now
    fresh: set[tuple[str, str]] = set()
    for start in range(0, len(events), 500):  # well under SQLite's limit on bound parameters
        chunk = events[start:start + 500]
        params = [v for (p, k, _), e in zip(chunk, events_json[start:start + 500], strict=True)
                  for v in (p, k, stamp, "received", e)]
        sql = _SQLITE_INSERT_NEW.format(values=",".join(["(?,?,?,?,?)"] * len(chunk)))
        fresh.update((row[0], row[1]) for row in await driver.execute_fetchall(sql, params))
    if not conn.in_transaction():  # the driver's own implicit transaction (a connection not in AUTOCOMMIT)
        await driver.commit()
    return fresh


_PG_INSERT_NEW = (
    "INSERT INTO inbox (platform, event_key, received_at, status, event) "
    "SELECT p, k, r, 'received', e::json FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::text[]) "
    "AS t(p, k, r, e) ON CONFLICT (platform, event_key) DO NOTHING RETURNING platform, event_key")
_SQLITE_INSERT_NEW = ("INSERT INTO inbox (platform, event_key, received_at, status, event) VALUES {values} "
                      "ON CONFLICT (platform, event_key) DO NOTHING RETURNING platform, event_key")


async def claim_received(conn: AsyncConnection, limit: int, now: datetime) -> list[tuple[int, dict[str, Any]]]:
    """Take up to `limit` recorded events for handling, oldest first, in ONE statement: their rows become
    `handling` (claimed now) and (id, event) pairs come back in the order they were received.

    Several processing processes may claim at once: on PostgreSQL the rows are locked with SKIP LOCKED, so
    each event goes to one of them; SQLite has a single writer. The handling transaction still checks
    the row (`InboxRepo.claim`), so an event taken twice after an expired claim has no second effect.
    """
    table = cast(Table, InboxEvent.__table__)
    waiting = (select(table.c.id).where(table.c.status == "received")
               .order_by(table.c.received_at, table.c.id).limit(limit))
    if conn.dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)
    # MATERIALIZED: as a plain `IN (subquery)` PostgreSQL may run the LIMIT … SKIP LOCKED subquery again
    # for each row it joins, locking and claiming more than `limit` rows (seen in the test suite).
    picked = waiting.cte("picked").prefix_with("MATERIALIZED")
    result = await conn.execute(
        update(table).where(table.c.id.in_(select(picked.c.id)))
        .values(status="handling", claimed_at=now).returning(table.c.id, table.c.event))
    return sorted((row[0], row[1]) for row in result if row[1] is not None)


async def mark_claims(conn: AsyncConnection, ids: list[int], status: str) -> None:
    """`done` for events handled in another database (the handling transaction cannot mark this row), or
    `failed` for an event whose handling raised: kept for a person to look at, never claimed again."""
    table = cast(Table, InboxEvent.__table__)
    values: dict[str, Any] = {"status": status}
    if status == "done":
        values["event"] = None
    await conn.execute(update(table).where(table.c.id.in_(ids)).values(**values))


async def release_claims(conn: AsyncConnection, claimed_before: datetime) -> int:
    """Give claims older than `claimed_before` back to the queue (their process died before handling them);
    returns how many."""
    table = cast(Table, InboxEvent.__table__)
    result = await conn.execute(
        update(table).where(table.c.status == "handling", table.c.claimed_at < claimed_before)
        .values(status="received", claimed_at=None))
    return result.rowcount or 0


class InboxRepo:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def claim(self, platform: str, event_key: str, now: datetime) -> bool:
        """Inside the handling transaction: True for the first handling of this event, else False.

        One upsert: a recorded row (received or claimed) becomes `done`; an event that never went through
        `receive` (the console, or a SQLite inbox kept in its own file) is inserted as `done`; a row
        already `done` comes back empty. On PostgreSQL the upsert locks the row, so a concurrent twin
        waits for this transaction and then finds it done; on SQLite there is one writer.
        """
        return await _CLAIM_FOR_HANDLING[self.uow.dialect].first(
            self.uow.session, {"platform": platform, "event_key": event_key, "received_at": now}) is not None

    async def unhandled(self, older_than: datetime, limit: int = 100) -> list[dict[str, Any]]:
        """Events acknowledged but never handled (the process died): to handle again on start-up."""
        rows = await self.uow.session.scalars(
            select(InboxEvent).where(InboxEvent.status == "received", InboxEvent.received_at < older_than)
            .order_by(InboxEvent.id).limit(limit)
        )
        return [row.event for row in rows if row.event is not None]


def _claim_for_handling(dialect: Any) -> Any:
    table = cast(Table, InboxEvent.__table__)
    return (dialect.insert(table)
            .values(platform=bindparam("platform"), event_key=bindparam("event_key"),
                    received_at=bindparam("received_at"), status="done")
            .on_conflict_do_update(index_elements=["platform", "event_key"], set_={"status": "done", "event": None},
                                   where=table.c.status != "done")
            .returning(table.c.id))


_CLAIM_FOR_HANDLING = {"postgresql": HotStatement(_claim_for_handling(postgresql)),
                       "sqlite": HotStatement(_claim_for_handling(sqlite))}
