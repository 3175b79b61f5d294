"""Hot statements: a Core statement compiled once per dialect and run on the session's driver connection.

SQLAlchemy spends 100–230 µs of CPU around every statement it runs through an AsyncSession (greenlet
hand-offs, the execution context, the cursor result), measured on this machine for a primary-key
SELECT that SQLite itself answers in 8 µs. A chat command runs ten to twelve such statements, so that
was a quarter of its CPU. The few statements every command runs (the inbox claim, the sender lookup,
the reply's outbox row, the audit row, a new deal's rows, the deal's view, the outbox worker's claim
and marks) go through here instead. Everything else stays on the ORM.

What stays SQLAlchemy's, so that a hot statement behaves as the same statement run by the session:
- the SQL text, compiled by the dialect once (cached per dialect);
- the types' own bind and result processors (JSON, timestamps, decimals, enums);
- the transaction: the statement runs on the connection of the session's current transaction (on
  asyncpg, the adapter's transaction is begun first, as SQLAlchemy would before its first statement);
- the errors: driver errors are raised as SQLAlchemy's DBAPIError subclasses (IntegrityError,
  OperationalError, …), so retries and error replies do not change.

Not supported: expanding IN parameters (refused when the statement is compiled) and callable
(Python-side) column defaults (a row that leaves such a column out is refused when it runs). On any
other driver (aiosqlite in the web process's inbox engine, tests' own engines) the statement simply
goes through `session.execute`.

The parts of SQLAlchemy's asyncpg adapter used here (`_transaction`, `_start_transaction`,
`_execute_mutex`, `_handle_exception`) are private; tests/unit/storage/test_hot.py checks them, and
SQLAlchemy is pinned below 2.2 in pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from storage.sqlite_inline import InlineConnection

_MISSING = object()
_DRIVER_KEY = "storage.hot.driver"  # in session.info: (transaction, runner) for the current transaction
Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One statement for one dialect: its SQL, its parameters in order, and its type processors."""

    sql: str
    names: tuple[str, ...]
    defaults: tuple[Any, ...]  # a bound value or column default per name, else _MISSING (the caller's)
    binds: tuple[Processor, ...]
    results: list[Processor]
    # Result columns whose processor depends on the driver's column type (asyncpg's NUMERIC, by OID):
    # filled in from the prepared statement's attributes before the first rows are read.
    pending: list[int] = field(default_factory=list)
    result_types: tuple[Any, ...] = ()

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = []
        for name, default, process in zip(self.names, self.defaults, self.binds, strict=True):
            value = params.get(name, default)
            if value is _MISSING:
                raise KeyError(f"hot statement parameter {name!r} is missing")
            values.append(process(value) if process is not None and value is not None else value)
        return tuple(values)

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(process(value) if process is not None else value
                     for process, value in zip(self.results, raw, strict=True))


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:
        raise ValueError(f"not a positional SQL statement on {dialect.name}: {statement}")
    prefetch = {column.key: column for column in (*compiled.insert_prefetch, *compiled.update_prefetch)}
    names, defaults, binds = [], [], []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.expanding:
            raise ValueError(f"expanding parameter {name!r}: not supported in a hot statement")
        default: Any = _MISSING
        column = prefetch.get(name)
        if column is not None:
            if isinstance(column.default, ScalarElementColumnDefault):
                default = column.default.arg
            # A callable default is not called here: the caller passes that column's value.
        elif not bind.required and bind.callable is None:
            default = bind.value  # a literal given to .values() or .where()
        names.append(name)
        defaults.append(default)
        binds.append(bind.type._cached_bind_processor(dialect))
    types = tuple(entry.type for entry in compiled._result_columns)
    results: list[Processor] = []
    pending = []
    for index, type_ in enumerate(types):
        try:
            results.append(type_._cached_result_processor(dialect, None))
        except Exception:  # it needs the column's driver type: see _AsyncpgRunner.fetch
            results.append(None)
            pending.append(index)
    return _Compiled(compiled.string, tuple(names), tuple(defaults), tuple(binds), results, pending, types)


class HotStatement:
    """A statement built once at import; `rows`, `first`, `scalar`, `run` and `run_many` execute it."""

    __slots__ = ("_by_dialect", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[type[Dialect], _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        compiled = self._by_dialect.get(type(dialect))
        if compiled is None:
            compiled = self._by_dialect[type(dialect)] = _compile(self.statement, dialect)
        return compiled

    async def rows(self, session: AsyncSession, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        runner = await _runner(session)
        if runner is None:
            return [tuple(row) for row in await session.execute(self.statement, params)]  # type: ignore[call-overload]
        compiled = self.compiled(runner.dialect)
        raw = await runner.fetch(compiled, compiled.arguments(params))
        if not any(compiled.results):
            return [tuple(row) for row in raw]
        return [compiled.row(row) for row in raw]

    async def first(self, session: AsyncSession, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = await self.rows(session, params)
        return rows[0] if rows else None

    async def scalar(self, session: AsyncSession, params: Mapping[str, Any]) -> Any:
        row = await self.first(session, params)
        return row[0] if row is not None else None

    async def run(self, session: AsyncSession, params: Mapping[str, Any]) -> None:
        await self.run_many(session, [params])

    async def run_many(self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
        """One statement per row, sent as one executemany; nothing comes back."""
        if not rows:
            return
        runner = await _runner(session)
        if runner is None:
            await session.execute(self.statement, list(rows))  # type: ignore[call-overload]
            return
        compiled = self.compiled(runner.dialect)
        await runner.execute_many(compiled, [compiled.arguments(row) for row in rows])


class _SqliteRunner:
    """The main engine's SQLite connection (storage.sqlite_inline): statements run here and now."""

    __slots__ = ("connection", "dialect")

    def __init__(self, dialect: Dialect, connection: InlineConnection) -> None:
        self.dialect, self.connection = dialect, connection

    async def fetch(self, compiled: _Compiled, arguments: tuple[Any, ...]) -> list[Any]:
        try:
            return self.connection.execute_now(compiled.sql, arguments)
        except self.dialect.loaded_dbapi.Error as error:
            raise _wrapped(self.dialect, compiled, arguments, error) from error

    async def execute_many(self, compiled: _Compiled, arguments: list[tuple[Any, ...]]) -> None:
        try:
            self.connection.execute_many_now(compiled.sql, arguments)
        except self.dialect.loaded_dbapi.Error as error:
            raise _wrapped(self.dialect, compiled, arguments, error) from error


class _AsyncpgRunner:
    """asyncpg under SQLAlchemy's adapter: the adapter's transaction, then asyncpg's own calls."""

    __slots__ = ("adapter", "dialect")

    def __init__(self, dialect: Dialect, adapter: Any) -> None:
        self.dialect, self.adapter = dialect, adapter

    async def fetch(self, compiled: _Compiled, arguments: tuple[Any, ...]) -> list[Any]:
        adapter = self.adapter
        async with adapter._execute_mutex:
            try:
                await self._begin()
                if compiled.pending:  # as SQLAlchemy does: the processors for the driver's column types
                    prepared = await adapter._connection.prepare(compiled.sql)
                    attributes = prepared.get_attributes()
                    for index in compiled.pending:
                        compiled.results[index] = compiled.result_types[index]._cached_result_processor(
                            self.dialect, attributes[index].type.oid)
                    compiled.pending.clear()
                return list(await adapter._connection.fetch(compiled.sql, *arguments))
            except Exception as error:  # translated into the adapter's DBAPI errors, then SQLAlchemy's
                raise _wrapped(self.dialect, compiled, arguments, _translated(adapter, error)) from error

    async def execute_many(self, compiled: _Compiled, arguments: list[tuple[Any, ...]]) -> None:
        adapter = self.adapter
        async with adapter._execute_mutex:
            try:
                await self._begin()
                await adapter._connection.executemany(compiled.sql, arguments)
            except Exception as error:
                raise _wrapped(self.dialect, compiled, arguments, _translated(adapter, error)) from error

    async def _begin(self) -> None:
        # SQLAlchemy's adapter begins its transaction lazily, before its first statement; a hot statement
        # may be the first of the unit of work, and must not run outside it.
        if self.adapter._transaction is None and self.adapter.isolation_level != "autocommit":
            await self.adapter._start_transaction()


def _translated(adapter: Any, error: Exception) -> BaseException:
    """asyncpg's exception as the adapter's DBAPI exception (what SQLAlchemy would have seen)."""
    dbapi_error: type[Exception] = adapter.dbapi.Error
    if isinstance(error, dbapi_error):
        return error
    try:
        adapter._handle_exception(error)
    except Exception as translated:
        return translated
    return error  # pragma: no cover - _handle_exception always raises


def _wrapped(dialect: Dialect, compiled: _Compiled, arguments: Any, error: BaseException) -> BaseException:
    if not isinstance(error, Exception):
        return error
    return exc.DBAPIError.instance(compiled.sql, arguments, error, dialect.loaded_dbapi.Error, dialect=dialect)


async def _runner(session: AsyncSession) -> _SqliteRunner | _AsyncpgRunner | None:
    """The driver runner for the session's current transaction (made once per transaction), or None."""
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_DRIVER_KEY)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]  # type: ignore[no-any-return]
    connection = await session.connection()  # begins the session's transaction when none is open
    raw = await connection.get_raw_connection()
    dialect = connection.dialect
    driver = raw.driver_connection
    runner: _SqliteRunner | _AsyncpgRunner | None = None
    if isinstance(driver, InlineConnection):
        runner = _SqliteRunner(dialect, driver)
    elif dialect.driver == "asyncpg":
        runner = _AsyncpgRunner(dialect, raw.dbapi_connection)
    session.info[_DRIVER_KEY] = (session.sync_session.get_transaction(), runner)
    return runner


_BUILT: dict[Hashable, HotStatement] = {}


def built_once(key: Hashable, build: Callable[[], ClauseElement]) -> HotStatement:
    """The hot statement for `key`, built by `build` the first time: for statements made per table, column
    list or platform set, whose building (and cache key) would cost more than running them."""
    statement = _BUILT.get(key)
    if statement is None:
        statement = _BUILT[key] = HotStatement(build())
    return statement


def hot_insert(table: Table, columns: Sequence[str], *, returning_id: bool = False) -> HotStatement:
    """`INSERT INTO table (columns…)` [RETURNING id], built once per table and column list. Columns left
    out take their scalar column defaults, as in a Core insert."""

    def build() -> ClauseElement:
        insert = table.insert().values({name: bindparam(name) for name in columns})
        return insert.returning(table.c.id) if returning_id else insert

    return built_once(("insert", table, tuple(columns), returning_id), build)


async def fetch_sql(session: AsyncSession, sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
    """Rows of a SQL text written for the session's driver (qmark on SQLite, $n on asyncpg), run inside the
    session's transaction; plain driver values, no type processing (storage.services.matcher)."""
    runner = await _runner(session)
    if runner is None:
        connection = await session.connection()
        driver: Any = (await connection.get_raw_connection()).driver_connection
        return list(await driver.execute_fetchall(sql, params))  # aiosqlite
    return await runner.fetch(_Compiled(sql, (), (), (), []), tuple(params))
