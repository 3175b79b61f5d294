"""SQLite run on the event loop's own thread, behind SQLAlchemy's aiosqlite dialect (the main engine).

aiosqlite runs every call on a worker thread, and SQLAlchemy's adapter makes four calls per statement
(open a cursor, execute, fetch, close): each is a queue put, a thread switch and a wake-up of the loop
through its self-pipe. A command's statements are index reads and one-row writes that SQLite runs in
tens of microseconds, far less than those hops; measured on 跟进, the hops were a quarter of the
command's CPU (docs/benchmarks.md, "Core commands", session 5). The main engine has one connection
and a first-come gate (storage.uow), so no other statement could run beside one of them anyway.

The price: a long statement (a digest over a big book), or a write waiting for another process's
lock on the file (up to `busy_timeout`, e.g. a `dealbot users add` committing at that moment), holds
the loop while it runs. That is why only the main engine uses this connection; the web process, which
must acknowledge within seconds, records inbound events through storage.engine.make_inbox_engine,
which stays on aiosqlite.

`async_creator` of create_async_engine takes this connection instead of aiosqlite's; the dialect (and
its type handling, error mapping and transaction rules) is unchanged. sqlite3's exceptions are the
ones aiosqlite re-exports, so SQLAlchemy maps them the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Self

from sqlalchemy import make_url
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite


class InlineCursor:
    """aiosqlite's cursor interface over a sqlite3 cursor: every method runs at once, on this thread."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Self:
        self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any] | dict[str, Any]]) -> Self:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """The part of aiosqlite.Connection that SQLAlchemy's aiosqlite adapter uses."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        # `_connection` is what the adapter checks before a commit or rollback (None once closed).
        self._connection: sqlite3.Connection | None = connection

    @property
    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("Connection closed")
        return self._connection

    @property
    def isolation_level(self) -> str | None:
        return self._live.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._live.cursor())

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """As aiosqlite's: storage.inbox writes its group inserts through the driver connection."""
        return self._live.execute(sql, parameters).fetchall()

    def execute_now(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """One statement and its rows, synchronously (storage.hot runs its statements through this)."""
        return self._live.execute(sql, parameters).fetchall()

    def execute_many_now(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._live.executemany(sql, rows)

    async def create_function(self, name: str, num_params: int, func: Callable[..., Any],
                              deterministic: bool = False) -> None:
        self._live.create_function(name, num_params, func, deterministic=deterministic)

    async def commit(self) -> None:
        self._live.commit()

    async def rollback(self) -> None:
        self._live.rollback()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def stop(self) -> None:
        """The adapter's forced close (a connection the pool gives up on)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def inline_creator(url: str) -> Callable[[], Awaitable[InlineConnection]]:
    """`async_creator` for create_async_engine: connects as the aiosqlite dialect would for this URL."""
    args, options = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    # The pool may hand the connection to another thread's loop (tests, `asyncio.to_thread`); SQLite
    # serializes calls itself, and the engine's gate keeps one unit of work on it at a time.
    kwargs: dict[str, Any] = {**options, "check_same_thread": False}
    database = str(args[0])

    async def connect() -> InlineConnection:
        return InlineConnection(sqlite3.connect(database, **kwargs))

    return connect
