"""Fresh, migrated databases for tests: SQLite copies a migrated template file per test;
PostgreSQL (when DEALBOT_TEST_DATABASE_URL is set) migrates one database per session and empties it per test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import Future
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import asyncpg
from sqlalchemy.engine import make_url

from config import DatabaseSettings
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.uow import UnitOfWorkFactory

ENV_VAR = "DEALBOT_TEST_DATABASE_URL"
_PREFIX = "dealbot_t"  # session databases are named <prefix>_<pid>
_T = TypeVar("_T")


def _in_thread(fn: Callable[[], _T]) -> _T:
    """Run `fn` in a fresh thread: Alembic's env.py calls asyncio.run, which must not touch the test loop."""
    result: Future[_T] = Future()

    def target() -> None:
        try:
            result.set_result(fn())
        except BaseException as exc:
            result.set_exception(exc)

    thread = threading.Thread(target=target, name="migrate", daemon=True)
    thread.start()
    thread.join()
    return result.result()


def migrate(url: str) -> None:
    """Alembic upgrade to head, safe to call from a fixture whatever loop pytest-asyncio has set."""
    _in_thread(lambda: upgrade(url))


class DatabaseSource(Protocol):
    """Hands each test the URL of a freshly migrated, empty database."""

    kind: str

    def fresh_url(self, tmp_path: Path) -> str: ...

    def close(self) -> None: ...


class SqliteTemplate:
    """Migrates a template file once; each test gets a byte copy (about 1 ms instead of a migration)."""

    kind = "sqlite"

    def __init__(self, workdir: Path) -> None:
        self._template = workdir / "template.db"
        migrate(f"sqlite+aiosqlite:///{self._template}")

    def fresh_url(self, tmp_path: Path) -> str:
        target = tmp_path / "dealbot.db"
        for suffix in ("-wal", "-shm"):  # a second call in the same test (hypothesis examples) starts clean
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self._template, target)
        return f"sqlite+aiosqlite:///{target}"

    def close(self) -> None:
        pass


class _LoopThread:
    """A private event loop in a daemon thread, so sync fixtures can await asyncpg without the test loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-db-admin", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, _T], timeout: float = 60) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


class PostgresSession:
    """One database per pytest process, migrated once, emptied (rows and sequences) before every test.

    A database rather than a schema, because the URL alone then names it: the engine, the CLI in a
    subprocess and Alembic all need nothing but `database_url`. Measured on 16 tables: TRUNCATE ...
    RESTART IDENTITY CASCADE took ~29 ms per test; one batch of DELETEs with FK triggers off plus
    setval took ~0.5 ms, so that is used whenever the role may set session_replication_role.
    """

    kind = "postgresql"

    def __init__(self, base_url: str) -> None:
        base = make_url(base_url)
        self._admin_dsn = _asyncpg_dsn(base_url)
        self.name = f"{_PREFIX}_{os.getpid()}"
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        self._loop = _LoopThread()
        self._conn: asyncpg.Connection | None = None
        self._reset_sql = ""
        try:
            self._loop.run(self._create())
            migrate(self.url)
            self._loop.run(self._connect())
        except BaseException:
            self.close()
            raise

    async def _create(self) -> None:
        admin = await asyncpg.connect(self._admin_dsn)
        try:
            for row in await admin.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{_PREFIX}\\_%"
            ):
                if not _pid_alive(row["datname"].rsplit("_", 1)[-1]):  # left by a killed run
                    await admin.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()

    async def _connect(self) -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(self.url))
        # A test that leaked a connection holding locks should fail loudly, not hang the suite.
        await conn.execute("SET lock_timeout = '10s'")
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version'"
        )]
        sequences = [r["sequencename"] for r in await conn.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        )]
        superuser = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if superuser:
            self._reset_sql = "SET LOCAL session_replication_role = replica;" + "".join(
                f'DELETE FROM "{t}";' for t in tables
            ) + "".join(f"SELECT setval('\"{s}\"', 1, false);" for s in sequences)
        elif tables:
            self._reset_sql = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        self._conn = conn

    async def _reset(self) -> None:
        assert self._conn is not None
        if self._reset_sql:
            async with self._conn.transaction():
                await self._conn.execute(self._reset_sql)

    def fresh_url(self, tmp_path: Path) -> str:
        self._loop.run(self._reset())
        return self.url

    def close(self) -> None:
        async def drop() -> None:
            if self._conn is not None:
                await self._conn.close()
            admin = await asyncpg.connect(self._admin_dsn)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            finally:
                await admin.close()

        try:
            self._loop.run(drop())
        finally:
            self._loop.stop()


def _asyncpg_dsn(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pid_alive(pid: str) -> bool:
    if not pid.isdigit():
        return True  # not ours to drop
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_test_databases(workdir: Path) -> DatabaseSource:
    """PostgreSQL when DEALBOT_TEST_DATABASE_URL is set, else SQLite files under `workdir`."""
    url = os.environ.get(ENV_VAR, "").strip()
    if not url or url.startswith("sqlite"):
        return SqliteTemplate(workdir)
    return PostgresSession(url)


@asynccontextmanager
async def fresh_uow_factory(url: str) -> AsyncIterator[UnitOfWorkFactory]:
    """A UnitOfWorkFactory on `url` with its own engine, disposed on exit."""
    engine = make_engine(DatabaseSettings(url=url))
    try:
        yield UnitOfWorkFactory(make_sessionmaker(engine))
    finally:
        await engine.dispose()
