"""Scheduler and outbox benchmark (issue 4): one tick that finds 10,000 due nudges among 1,000,000 deals
(200,000 open) and 5,000,000 follow-ups on PostgreSQL (100,000 deals on SQLite) and writes their outbox
rows; and the outbox worker's delivery rate to a fake platform.

    .venv/bin/python benchmarks/bench_scheduler.py --pg postgresql+asyncpg://postgres:test@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/bench_scheduler.py --sqlite   # 100,000 deals

PostgreSQL: a database of its own (dealbot_bench_sched), bulk-loaded with COPY and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy.engine import make_url

from bot.adapters.base import Delivered, SendResult
from bot.core.clock import FrozenClock
from bot.core.replies import Reply
from bot.outbox_store import StorageOutboxStore
from bot.outbox_worker import OutboxWorker
from config import DatabaseSettings, Settings
from config.settings import SecuritySettings
from handlers.catalog import load_catalogs
from reminders.deferred import PushRenderer
from reminders.nudges import run_nudges
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.services.reminder_jobs import load_cipher
from storage.uow import UnitOfWorkFactory
from tests.integration.load import asyncpg_dsn, copy_in, rows, sqlite_insert

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
DB = "dealbot_bench_sched"


class FakePlatform:
    def __init__(self) -> None:
        self.count = 0

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        await asyncio.sleep(0)
        self.count += 1
        return Delivered()


class Everything:
    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        return "fake", dict(target)


async def measure(url: str) -> None:
    settings = Settings(database=DatabaseSettings(url=url), security=SecuritySettings(secret_key="bench"))
    settings.reminders.merge_minutes = 0  # one push per follow-up: 10,000 outbox rows
    engine = make_engine(settings.database)
    factory = UnitOfWorkFactory(make_sessionmaker(engine))
    try:
        start = time.perf_counter()
        pushed = await run_nudges(factory, FrozenClock(NOW), settings)
        tick = time.perf_counter() - start
        print(f"tick: {pushed} nudges found and enqueued in {tick:.2f} s")
        again = time.perf_counter()
        assert await run_nudges(factory, FrozenClock(NOW), settings) == 0
        print(f"second tick (nothing new): {time.perf_counter() - again:.3f} s")
        platform = FakePlatform()
        # Reminder cards are rendered at delivery: the worker's rate includes loading and rendering the deals.
        store = StorageOutboxStore(factory, renderer=PushRenderer(settings, load_cipher(settings.security)))
        worker = OutboxWorker(store, {"fake": platform}, FrozenClock(NOW),
                              resolver=Everything(), concurrency=settings.outbox.concurrency)
        start = time.perf_counter()
        await worker.drain(limit=settings.outbox.batch)
        spent = time.perf_counter() - start
        print(f"worker: {platform.count} delivered in {spent:.2f} s = {platform.count / spent:.0f}/s "
              f"(concurrency {settings.outbox.concurrency}, batch {settings.outbox.batch})")
    finally:
        await engine.dispose()


async def postgres(base: str, deals: int, open_deals: int, followups: int, keep: bool = False) -> None:
    admin_dsn = asyncpg_dsn(base)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{DB}"')
    url = make_url(base).set(database=DB).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade, url)
        start = time.perf_counter()
        await copy_in(url, rows(NOW, reps=500, deals=deals, open_deals=open_deals, followups=followups,
                                due=10_000))
        print(f"loaded {deals:,} deals ({open_deals:,} open), {followups:,} follow-ups with COPY in "
              f"{time.perf_counter() - start:.0f} s")
        await measure(url)
    finally:
        if not keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        await admin.close()


async def sqlite(deals: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        sqlite_insert(path, rows(NOW, reps=500, deals=deals, open_deals=deals // 5, followups=deals * 5,
                                 due=10_000))
        print(f"loaded {deals:,} deals ({deals // 5:,} open), {deals * 5:,} follow-ups into SQLite")
        await measure(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", help="PostgreSQL URL of a server where a bench database may be created")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database (to EXPLAIN)")
    args = parser.parse_args()
    load_catalogs()
    if args.pg:
        asyncio.run(postgres(args.pg, args.deals, args.deals // 5, args.deals * 5, args.keep))
    if args.sqlite:
        asyncio.run(sqlite(100_000))


if __name__ == "__main__":
    main()
