"""The main SQLite engine runs its statements on the event loop's thread, with SQLAlchemy's dialect intact:
types, errors, transactions, streaming and the one-connection pool behave as through aiosqlite."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from config import DatabaseSettings
from storage.engine import make_engine, make_inbox_engine
from storage.sqlite_inline import InlineConnection


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}"))
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, at TIMESTAMP, "
                                "amount NUMERIC)"))
    yield engine
    await engine.dispose()


def _threads(engine: AsyncEngine) -> list[int]:
    seen: list[int] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda *_: seen.append(threading.get_ident()))
    return seen


async def test_statements_run_on_the_loop_thread(engine: AsyncEngine) -> None:
    seen = _threads(engine)
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineConnection)
        assert await conn.scalar(text("SELECT 41 + 1")) == 42
    assert seen
    assert set(seen) == {threading.get_ident()}


async def test_the_inbox_engine_keeps_aiosqlite(tmp_path: Path) -> None:
    """The web process acknowledges through this engine: it must never wait for a statement on its loop."""
    inbox = make_inbox_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}"))
    try:
        async with inbox.connect() as conn:
            raw = await conn.get_raw_connection()
            assert not isinstance(raw.driver_connection, InlineConnection)
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await inbox.dispose()


async def test_rows_types_and_rowcount(engine: AsyncEngine) -> None:
    at = datetime(2026, 11, 28, 9, 30)
    async with engine.begin() as conn:
        result = await conn.execute(text("INSERT INTO t (name, at, amount) VALUES (:n, :at, :a)"),
                                    [{"n": "甲", "at": at, "a": 1.5}, {"n": "乙", "at": at, "a": None}])
        assert result.rowcount == 2
        inserted = await conn.execute(text("INSERT INTO t (name) VALUES ('丙') RETURNING id"))
        assert inserted.scalar_one() == 3
        updated = await conn.execute(text("UPDATE t SET amount = 2 WHERE amount IS NULL"))
        assert updated.rowcount == 2
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, "甲"), (2, "乙"), (3, "丙")]


async def test_a_failed_statement_raises_sqlalchemys_error_and_rolls_back(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('甲')"))
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('乙')"))
        with pytest.raises(IntegrityError):
            await conn.execute(text("INSERT INTO t (name) VALUES ('甲')"))  # unique name
        await conn.rollback()
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM t")) == 1  # 乙 went with the failed transaction


async def test_rollback_discards_and_commit_keeps(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('gone')"))
        await conn.rollback()
        await conn.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        await conn.commit()
    async with engine.connect() as conn:
        assert (await conn.scalars(text("SELECT name FROM t"))).all() == ["kept"]


async def test_streaming_reads_in_chunks(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": f"c{i}"} for i in range(250)])
    async with engine.connect() as conn:
        stream = await conn.stream(text("SELECT name FROM t ORDER BY id"))
        chunks = [len(chunk) async for chunk in stream.partitions(100)]
    assert chunks == [100, 100, 50]


async def test_pragmas_apply_to_the_inline_connection(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
        assert await conn.scalar(text("PRAGMA foreign_keys")) == 1


async def test_concurrent_units_of_work_queue_on_the_one_connection(engine: AsyncEngine) -> None:
    """Many tasks writing at once: each transaction is whole, none is lost (the pool has one connection)."""

    async def write(i: int) -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name, at) VALUES (:n, :at)"),
                               {"n": f"w{i}", "at": datetime.now(UTC)})
            await asyncio.sleep(0)  # give the others a chance to interleave
            await conn.execute(text("UPDATE t SET amount = :i WHERE name = :n"), {"i": i, "n": f"w{i}"})

    await asyncio.gather(*(write(i) for i in range(40)))
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM t WHERE amount IS NOT NULL")) == 40


async def test_a_disposed_engine_closes_its_connection(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'closed.db'}"))
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert isinstance(driver, InlineConnection)
    await engine.dispose()
    assert driver._connection is None
    with pytest.raises(ValueError, match="closed"):
        driver.cursor()
