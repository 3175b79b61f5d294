"""Bulk data for the scheduler's multi-instance test and benchmark: a team, reps, and deals whose
follow-ups fall due; PostgreSQL through asyncpg COPY, SQLite through executemany."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def rows(now: datetime, *, reps: int, deals: int, open_deals: int, followups: int, due: int,
         seed: int = 7) -> dict[str, Iterator[tuple[Any, ...]]]:
    """`due` open follow-ups fall in the last hour (one per open deal, spread across reps); the others are
    done (history) or due later. Deals beyond `open_deals` are closed."""
    rnd = random.Random(seed)
    old = now - timedelta(days=1)  # recent activity: nothing is stale or about to go back to the pool

    def teams() -> Iterator[tuple[Any, ...]]:
        yield (1, "sales", "Asia/Shanghai", "zh-CN", "CN", EPOCH)

    def users() -> Iterator[tuple[Any, ...]]:
        for i in range(1, reps + 1):
            yield (i, f"rep{i}", f"Rep {i}", "rep", 1, None, None, True, EPOCH)

    def customers() -> Iterator[tuple[Any, ...]]:
        for i in range(1, deals + 1):
            yield (i, f"客户{i}", 1, 1 + i % reps, old, old, EPOCH)

    def deal_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, deals + 1):
            stage = ("lead", "proposal", "quote")[i % 3] if i <= open_deals else ("won", "lost")[i % 2]
            yield (i, i, 1 + i % reps, 1, stage, EPOCH, old, old, 1)

    def followup_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, followups + 1):
            deal = 1 + (i - 1) % deals
            if i <= due:  # the due ones: open, in the last hour, on open deals
                deal = 1 + (i - 1) % open_deals
                yield (i, deal, 1 + deal % reps, now - timedelta(seconds=rnd.randrange(1, 3600)), "open", EPOCH)
            elif i <= open_deals:
                yield (i, i, 1 + i % reps, now + timedelta(days=rnd.randrange(1, 30)), "open", EPOCH)
            else:
                yield (i, deal, 1 + deal % reps, now - timedelta(days=rnd.randrange(2, 300)), "done", EPOCH)

    return {"teams": teams(), "users": users(), "customers": customers(), "deals": deal_rows(),
            "followups": followup_rows()}


COLUMNS = {
    "teams": ("id", "name", "tz", "locale", "country", "created_at"),
    "users": ("id", "login", "name", "role", "team_id", "tz", "locale", "active", "created_at"),
    "customers": ("id", "name", "team_id", "owner_id", "last_activity_at", "owner_since", "created_at"),
    "deals": ("id", "customer_id", "owner_id", "team_id", "stage", "created_at", "updated_at", "last_activity_at",
              "version"),
    "followups": ("id", "deal_id", "owner_id", "due_at", "status", "created_at"),
}


async def copy_in(url: str, data: dict[str, Iterator[tuple[Any, ...]]], batch: int = 200_000) -> None:
    """COPY every table, then move the id sequences past the loaded ids."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        for table, source in data.items():
            chunk: list[tuple[Any, ...]] = []
            for row in source:
                chunk.append(row)
                if len(chunk) >= batch:
                    await conn.copy_records_to_table(table, records=chunk, columns=list(COLUMNS[table]))
                    chunk = []
            if chunk:
                await conn.copy_records_to_table(table, records=chunk, columns=list(COLUMNS[table]))
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def sqlite_insert(path: str, data: dict[str, Iterator[tuple[Any, ...]]]) -> None:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        for table, source in data.items():
            cols = COLUMNS[table]
            db.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                           ((*(_sqlite(v) for v in row),) for row in source))
        db.commit()
        db.execute("ANALYZE")
    finally:
        db.close()


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):  # how SQLAlchemy's DateTime stores UTC on SQLite
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value
