"""Times building one 50-rep team's daily digest on a large database (issue 4).

PostgreSQL: creates `dealbot_bench_digest`, migrates it, bulk-loads with asyncpg COPY (default 1,000,000
deals, 20% open, 5 follow-ups and 1 logged activity per deal, in 20 teams of 50 reps), times the digest
of team 1, then drops the database. SQLite: the same shape at 100,000 deals in a temporary file.

    python benchmarks/bench_digest.py postgresql://postgres@127.0.0.1/postgres [--deals N] [--teams N]
    python benchmarks/bench_digest.py sqlite [--deals 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bot.core.clock import FrozenClock
from config import DatabaseSettings, PipelineSettings
from handlers.catalog import load_catalogs
from handlers.report_views import digest_card
from storage.analytics_dto import Scope
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.pipeline import Pipeline
from storage.services.analytics import analytics_for
from storage.uow import UnitOfWorkFactory

BENCH_DB = "dealbot_bench_digest"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 Asia/Shanghai
SINCE = NOW - timedelta(days=3)
OPEN_KEYS = ["lead", "qualified", "needs", "proposal", "quote", "negotiation"]
REPS_PER_TEAM = 50
FOLLOWUPS_PER_DEAL = 5
CHUNK = 100_000


def rows(deals: int, teams: int, seed: int = 7) -> dict[str, Iterator[tuple[Any, ...]]]:
    """Generators of table rows; every deal has its customer, history, follow-ups and one activity."""
    rnd = random.Random(seed)
    users = teams * (REPS_PER_TEAM + 1)
    span = 3 * 365 * 86400

    def team_rows() -> Iterator[tuple[Any, ...]]:
        for t in range(1, teams + 1):
            yield (t, f"team{t}", "Asia/Shanghai", "zh-CN", "CN", NOW)

    def user_rows() -> Iterator[tuple[Any, ...]]:
        for u in range(1, users + 1):
            team, slot = divmod(u - 1, REPS_PER_TEAM + 1)
            role = "manager" if slot == 0 else "rep"
            yield (u, f"u{u}", f"User {u}", role, team + 1, True, NOW)

    plan: list[tuple[int, int, datetime, str, list[str]]] = []
    for d in range(1, deals + 1):
        team = rnd.randrange(teams)
        owner = team * (REPS_PER_TEAM + 1) + 2 + rnd.randrange(REPS_PER_TEAM)
        created = NOW - timedelta(seconds=rnd.randrange(span))
        top = min(int(rnd.expovariate(0.6)), len(OPEN_KEYS) - 1)
        path = OPEN_KEYS[: top + 1]
        if d % 5 != 0:  # 80% closed
            path = [*path, "won" if rnd.random() < 0.3 else "lost"]
        plan.append((team + 1, owner, created, path[-1], path))

    def customer_rows() -> Iterator[tuple[Any, ...]]:
        for d, (team, owner, created, _stage, _path) in enumerate(plan, 1):
            yield (d, f"客户{d}", team, owner, created, created, created)

    def deal_rows() -> Iterator[tuple[Any, ...]]:
        for d, (team, owner, created, stage, path) in enumerate(plan, 1):
            last = created + timedelta(days=2 * len(path))
            last = min(last, NOW - timedelta(minutes=1))
            closed = last if stage in ("won", "lost") else None
            yield (d, d, owner, team, stage, Decimal(rnd.randrange(1, 500) * 10000), "CNY", created, last, last, closed,
                   "价格" if stage == "lost" else None, 1)

    def history_rows() -> Iterator[tuple[Any, ...]]:
        i = 0
        for d, (_team, owner, created, _stage, path) in enumerate(plan, 1):
            previous = None
            for step, stage in enumerate(path):
                i += 1
                at = min(created + timedelta(days=2 * step, hours=step), NOW - timedelta(minutes=1))
                yield (i, d, previous, stage, owner, at, "价格" if stage == "lost" else None)
                previous = stage

    def followup_rows() -> Iterator[tuple[Any, ...]]:
        i = 0
        for d, (_team, owner, created, stage, _path) in enumerate(plan, 1):
            for k in range(FOLLOWUPS_PER_DEAL):
                i += 1
                due = created + timedelta(days=3 * (k + 1))
                is_open = k == FOLLOWUPS_PER_DEAL - 1 and stage not in ("won", "lost")
                yield (i, d, owner, due, "open" if is_open else "done", created, None if is_open else due)

    def activity_rows() -> Iterator[tuple[Any, ...]]:
        for d, (_team, owner, created, _stage, _path) in enumerate(plan, 1):
            at = min(created + timedelta(days=1), NOW - timedelta(minutes=5))
            yield (d, d, owner, "call", "电话沟通", at, at)

    return {"teams": team_rows(), "users": user_rows(), "customers": customer_rows(), "deals": deal_rows(),
            "stage_history": history_rows(), "followups": followup_rows(), "activities": activity_rows()}


COLUMNS = {
    "teams": ("id", "name", "tz", "locale", "country", "created_at"),
    "users": ("id", "login", "name", "role", "team_id", "active", "created_at"),
    "customers": ("id", "name", "team_id", "owner_id", "owner_since", "last_activity_at", "created_at"),
    "deals": ("id", "customer_id", "owner_id", "team_id", "stage", "amount", "currency", "created_at", "updated_at",
              "last_activity_at", "closed_at", "lost_reason", "version"),
    "stage_history": ("id", "deal_id", "from_stage", "to_stage", "changed_by", "changed_at", "reason"),
    "followups": ("id", "deal_id", "owner_id", "due_at", "status", "created_at", "closed_at"),
    "activities": ("id", "deal_id", "user_id", "kind", "note", "occurred_at", "created_at"),
}


def chunks(source: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in source:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


async def load_postgres(dsn: str, deals: int, teams: int) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    counts: dict[str, int] = {}
    try:
        for table, source in rows(deals, teams).items():
            counts[table] = 0
            for batch in chunks(source):
                await conn.copy_records_to_table(table, records=batch, columns=COLUMNS[table])
                counts[table] += len(batch)
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {counts[table]})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return counts


def load_sqlite(path: Path, deals: int, teams: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with sqlite3.connect(path) as conn:
        for table, source in rows(deals, teams).items():
            counts[table] = 0
            cols = COLUMNS[table]
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for batch in chunks(source):
                conn.executemany(sql, [tuple(_sqlite(v) for v in r) for r in batch])
                counts[table] += len(batch)
        conn.execute("ANALYZE")
    return counts


def _sqlite(value: Any) -> Any:
    # The format SQLAlchemy's SQLite DateTime writes (UTC, no offset), so comparisons match the app's.
    if isinstance(value, Decimal):
        return float(value)  # SQLite keeps NUMERIC as a float, as SQLAlchemy writes it
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


async def time_digest(url: str, runs: int) -> list[float]:
    engine = make_engine(DatabaseSettings(url=url))
    uow_factory = UnitOfWorkFactory(make_sessionmaker(engine))
    clock = FrozenClock(NOW)
    pipeline = PipelineSettings()
    load_catalogs()
    times = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            async with uow_factory() as uow:
                digest = await analytics_for(uow, clock, pipeline).digest(Scope(1), SINCE, NOW, "Asia/Shanghai")
            digest_card(digest, "team1", Pipeline(pipeline), "zh-CN", "Asia/Shanghai")
            times.append(time.perf_counter() - started)
        print(f"  team 1: {digest.funnel.deals} deals in the funnel window, {digest.pipeline.open_deals} open, "
              f"{len(digest.reps)} reps, {digest.changes.new_count} new and {digest.changes.moves_count} moves "
              f"since the last digest, {digest.stale_count} stale")
    finally:
        await engine.dispose()
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label}: first {times[0] * 1000:.0f} ms, median of the rest "
          f"{statistics.median(times[1:]) * 1000:.0f} ms, max {max(times[1:]) * 1000:.0f} ms ({len(times)} runs)")


async def bench_postgres(admin_url: str, deals: int, teams: int, runs: int, keep: bool = False) -> None:
    admin_dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    bench = make_url(admin_url).set(drivername="postgresql+asyncpg", database=BENCH_DB)
    bench_url = bench.render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        await asyncio.to_thread(upgrade, bench_url)
        started = time.perf_counter()
        counts = await load_postgres(bench.set(drivername="postgresql").render_as_string(hide_password=False),
                                     deals, teams)
        print(f"loaded {counts} in {time.perf_counter() - started:.0f} s")
        report(f"PostgreSQL digest, {deals:,} deals in {teams} teams", await time_digest(bench_url, runs))
    finally:
        if not keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        await admin.close()


async def bench_sqlite(deals: int, teams: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        started = time.perf_counter()
        counts = load_sqlite(path, deals, teams)
        print(f"loaded {counts} in {time.perf_counter() - started:.0f} s")
        report(f"SQLite digest, {deals:,} deals in {teams} teams", await time_digest(url, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("database", help="'sqlite' or a PostgreSQL admin URL")
    parser.add_argument("--deals", type=int)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database (drop it yourself)")
    args = parser.parse_args()
    if args.database == "sqlite":
        asyncio.run(bench_sqlite(args.deals or 100_000, args.teams, args.runs))
    else:
        asyncio.run(bench_postgres(args.database, args.deals or 1_000_000, args.teams, args.runs, args.keep))


if __name__ == "__main__":
    main()
