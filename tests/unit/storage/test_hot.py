"""Hot statements (storage.hot) behave as the same statement run by the session, on the active test
database: types in and out, the session's transaction (rolled back with it), SQLAlchemy's error classes,
column defaults, and the fallback for a driver they do not drive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import Numeric, Table, bindparam, func, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import hot
from storage.engine import dump_json, make_sessionmaker
from storage.hot import HotStatement, fetch_sql, hot_insert
from storage.models import OutboxMessage, Team, User
from storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 28, 9, 30, 15, 123456, tzinfo=UTC)
_OUTBOX = cast(Table, OutboxMessage.__table__)
_TEAMS = cast(Table, Team.__table__)
_ADD_MESSAGE = hot_insert(_OUTBOX, ("platform", "target", "payload", "not_before", "created_at"), returning_id=True)
_MESSAGE = HotStatement(select(_OUTBOX.c.id, _OUTBOX.c.target, _OUTBOX.c.payload, _OUTBOX.c.status,
                               _OUTBOX.c.attempts, _OUTBOX.c.not_before, _OUTBOX.c.lease_until)
                        .where(_OUTBOX.c.id == bindparam("id")))
_MESSAGES_AFTER = HotStatement(select(_OUTBOX.c.id).where(_OUTBOX.c.not_before > bindparam("at"),
                                                          _OUTBOX.c.status == "pending").order_by(_OUTBOX.c.id))


def _team(name: str) -> Team:
    return Team(name=name, tz="Asia/Shanghai", locale="zh-CN", created_at=NOW)


def _message(n: int) -> dict[str, Any]:
    return {"platform": "slack", "target": {"channel": f"C{n}", "名": "客户"},
            "payload": {"text": f"第{n}条 ✓", "n": n}, "not_before": NOW + timedelta(minutes=n), "created_at": NOW}


async def _count(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return await _count_in(uow)


async def test_values_go_in_and_come_out_as_the_session_would_give_them(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        first = await _ADD_MESSAGE.scalar(uow.session, _message(1))
        await _ADD_MESSAGE.run_many(uow.session, [_message(2), _message(3)])
        hot_row = await _MESSAGE.first(uow.session, {"id": first})
        await uow.commit()
    async with uow_factory() as uow:  # the same row read by the ORM session
        stored = (await uow.session.execute(_MESSAGE.statement, {"id": first})).one()
    assert hot_row == tuple(stored)
    assert hot_row is not None
    _, target, payload, status, attempts, not_before, lease_until = hot_row
    assert (target, payload) == ({"channel": "C1", "名": "客户"}, {"text": "第1条 ✓", "n": 1})
    assert (status, attempts, lease_until) == ("pending", 0, None)  # scalar column defaults applied
    assert not_before == NOW + timedelta(minutes=1)
    assert not_before.tzinfo is not None
    async with uow_factory() as uow:
        later = await _MESSAGES_AFTER.rows(uow.session, {"at": NOW + timedelta(seconds=90)})
    assert len(later) == 2
    assert later[0][0] > first


async def test_statements_belong_to_the_session_transaction(uow_factory: UnitOfWorkFactory) -> None:
    """A hot statement as the first statement of a unit of work is still inside it (on asyncpg the
    adapter begins lazily): a rollback takes it back, and an ORM write after it commits with it."""
    async with uow_factory() as uow:
        await _ADD_MESSAGE.run(uow.session, _message(1))
        assert await _count_in(uow) == 1
        await uow.rollback()
        await _ADD_MESSAGE.run(uow.session, _message(2))  # a new transaction after the rollback
        await uow.rollback()
    assert await _count(uow_factory) == 0
    async with uow_factory() as uow:
        await _ADD_MESSAGE.run(uow.session, _message(3))
        uow.session.add(_team("甲队"))
        await uow.commit()
    assert await _count(uow_factory) == 1


async def _count_in(uow: Any) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_driver_errors_are_sqlalchemy_errors_and_leave_the_transaction_usable(
        uow_factory: UnitOfWorkFactory) -> None:
    add_team = hot_insert(_TEAMS, ("name", "tz", "locale", "created_at"), returning_id=True)
    team = {"tz": "Asia/Shanghai", "locale": "zh-CN", "created_at": NOW}
    async with uow_factory() as uow:
        await add_team.scalar(uow.session, {"name": "乙队", **team})
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):  # teams.name is unique: the dispatcher retries IntegrityError
            await add_team.scalar(uow.session, {"name": "乙队", **team})
        await uow.rollback()
        assert await add_team.scalar(uow.session, {"name": "丙队", **team}) is not None
        await uow.commit()
    async with uow_factory() as uow:
        assert sorted(await uow.session.scalars(select(Team.name))) == ["丙队", "乙队"]


async def test_a_missing_parameter_is_refused_before_anything_runs(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(KeyError, match="created_at"):
            await _ADD_MESSAGE.run(uow.session, {k: v for k, v in _message(1).items() if k != "created_at"})
    assert await _count(uow_factory) == 0


def test_expanding_lists_are_refused_when_compiled(engine: AsyncEngine) -> None:
    statement = HotStatement(select(Team.id).where(Team.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="expanding"):
        statement.compiled(engine.dialect)


async def test_updates_and_aggregates_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    totals = HotStatement(select(func.sum(_OUTBOX.c.attempts), func.max(_OUTBOX.c.lease_until)))
    lease = HotStatement(update(_OUTBOX).where(_OUTBOX.c.id == bindparam("row_id"))
                         .values(lease_until=bindparam("until"), attempts=_OUTBOX.c.attempts + 1))
    async with uow_factory() as uow:
        ids = [await _ADD_MESSAGE.scalar(uow.session, _message(n)) for n in (1, 2)]
        await lease.run_many(uow.session, [{"row_id": i, "until": NOW} for i in ids])
        total, until = await totals.first(uow.session, {}) or (None, None)
        await uow.commit()
    assert int(total) == 2
    assert until == NOW


async def test_raw_sql_runs_in_the_transaction(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        placeholder = "$1" if uow.dialect == "postgresql" else "?"
        team = _team("丁队")
        uow.session.add(team)
        await uow.session.flush()
        rows = await fetch_sql(uow.session, f"SELECT name FROM teams WHERE id = {placeholder}", [team.id])
        assert [tuple(row) for row in rows] == [("丁队",)]
        await uow.rollback()


async def test_other_drivers_go_through_the_session(database_url: str) -> None:
    """aiosqlite (the web process's inbox engine) is not driven directly: the statement still works."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the fallback is for aiosqlite")
    engine = create_async_engine(database_url, json_serializer=dump_json)
    try:
        uow_factory = UnitOfWorkFactory(make_sessionmaker(engine))
        async with uow_factory() as uow:
            assert await hot._runner(uow.session) is None
            new_id = await _ADD_MESSAGE.scalar(uow.session, _message(1))
            row = await _MESSAGE.first(uow.session, {"id": new_id})
            rows = await fetch_sql(uow.session, "SELECT count(*) FROM outbox", [])
            await uow.commit()
        assert row is not None
        assert row[1] == {"channel": "C1", "名": "客户"}
        assert rows[0][0] == 1
    finally:
        await engine.dispose()


def test_the_private_adapter_parts_used_on_asyncpg_are_there() -> None:
    """storage.hot relies on these names of SQLAlchemy's asyncpg adapter: an upgrade that drops one fails
    here, not in production."""
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

    for name in ("_transaction", "_start_transaction", "_execute_mutex", "_handle_exception", "_connection",
                 "isolation_level", "dbapi"):
        assert hasattr(AsyncAdapt_asyncpg_connection, name), name


async def test_a_user_lookup_through_a_hot_statement_sees_uncommitted_rows(uow_factory: UnitOfWorkFactory) -> None:
    """The sender lookup runs in the same transaction as an ORM write made just before it."""
    from storage.services.users import _BY_CONSOLE_LOGIN

    async with uow_factory() as uow:
        team = _team("戊队")
        uow.session.add(team)
        await uow.session.flush()
        uow.session.add(User(login="wu", name="吴", role="rep", team_id=team.id, created_at=NOW))
        await uow.session.flush()
        row = await _BY_CONSOLE_LOGIN.first(uow.session, {"login": "wu"})
        assert row is not None
        assert row[1:4] == ("wu", "吴", "rep")


async def test_decimals_come_back_exact(uow_factory: UnitOfWorkFactory) -> None:
    """A NUMERIC result column: on asyncpg its processor depends on the column's type, read from the
    prepared statement before the first rows, as SQLAlchemy does."""
    amount = HotStatement(select(cast_(bindparam("amount", type_=Numeric(14, 2)), Numeric(14, 2))))
    async with uow_factory() as uow:
        for _ in range(2):  # the second run uses the processors found by the first
            assert await amount.scalar(uow.session, {"amount": Decimal("1234567.89")}) == Decimal("1234567.89")
