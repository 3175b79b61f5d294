"""Two scheduler instances and two outbox workers on one PostgreSQL database, 10,000 due follow-ups:
each is pushed once and delivered once; then a flaky platform (30% failures, 10% timeouts after the
message arrived) and a worker killed with SIGKILL mid-run: nothing is lost, duplicates are counted."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.adapters.base import Delivered, SendResult
from bot.core.clock import FrozenClock
from bot.core.replies import Reply
from bot.outbox_store import StorageOutboxStore
from bot.outbox_worker import OutboxWorker
from config import DatabaseSettings, Settings
from config.settings import SecuritySettings
from reminders.scheduler import run_reminders
from storage.models import OutboxMessage
from tests.harness.db import fresh_uow_factory
from tests.integration.load import copy_in, rows

N = 10_000
WORKER = Path(__file__).with_name("worker_proc.py")


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances need PostgreSQL (SKIP LOCKED); SQLite runs one instance")
    return database_url


def settings_for(url: str) -> Settings:
    return Settings(database=DatabaseSettings(url=url), security=SecuritySettings(secret_key="test-secret"))


class Recording:
    def __init__(self, log: list[int]) -> None:
        self.log = log

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        await asyncio.sleep(0)
        self.log += reply.data["followup_ids"]
        return Delivered()


class Everything:
    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        return "fake", dict(target)


async def schedule_twice(url: str, now: datetime) -> int:
    """Two scheduler instances (own engines) run every reminder job at the same instant, twice."""
    settings = settings_for(url)
    async with fresh_uow_factory(url) as a, fresh_uow_factory(url) as b:
        clock = FrozenClock(now)
        counts = await asyncio.gather(*(run_reminders(f, clock, settings) for f in (a, b, a, b)))
        async with a() as uow:
            assert await uow.session.scalar(select(func.count(OutboxMessage.id))) == sum(counts)
        return sum(counts)


async def test_two_schedulers_and_two_workers_deliver_every_item_exactly_once(pg_url: str) -> None:
    now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    await copy_in(pg_url, rows(now, reps=200, deals=N, open_deals=N, followups=N, due=N))
    assert await schedule_twice(pg_url, now) > 0
    delivered: list[int] = []
    async with fresh_uow_factory(pg_url) as a, fresh_uow_factory(pg_url) as b:
        workers = [OutboxWorker(StorageOutboxStore(f), {"fake": Recording(delivered)}, FrozenClock(now),
                                resolver=Everything(), concurrency=8) for f in (a, b)]
        await asyncio.gather(*(w.drain() for w in workers))
    assert sorted(delivered) == list(range(1, N + 1))


def start_worker(url: str, record: Path, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(WORKER), url, str(record), "0.3", "0.1", str(seed)])


async def pending(url: str) -> int:
    async with fresh_uow_factory(url) as factory, factory() as uow:
        return int(await uow.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status != "delivered")) or 0)


async def test_a_flaky_platform_and_a_killed_worker_lose_nothing(pg_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)  # the workers run on the real clock
    await copy_in(pg_url, rows(now, reps=200, deals=N, open_deals=N, followups=N, due=N))
    await schedule_twice(pg_url, now)
    record = tmp_path / "received.jsonl"
    workers = [start_worker(pg_url, record, 1), start_worker(pg_url, record, 2)]
    try:
        await asyncio.sleep(1.5)
        workers[0].send_signal(signal.SIGKILL)  # mid-run: rows claimed, some sent and not yet marked
        workers[0].wait()
        workers[0] = start_worker(pg_url, record, 3)
        for _ in range(1200):  # ten minutes at most
            if not await pending(pg_url):
                break
            await asyncio.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
    lines = record.read_text().splitlines()
    received = Counter(i for line in lines for i in json.loads(line))
    duplicates = sum(received.values()) - len(received)
    messages = len(set(lines))
    print(f"\n{N} follow-ups in {messages} messages; {len(lines)} messages received "
          f"({len(lines) - messages} duplicates, {100 * (len(lines) - messages) / messages:.1f}%); "
          f"follow-ups received twice or more: {duplicates} ({100 * duplicates / N:.1f}%)")
    assert await pending(pg_url) == 0
    assert sorted(received) == list(range(1, N + 1))  # nothing lost
