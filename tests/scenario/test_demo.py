"""`dealbot demo`: a team with deals at every stage, overdue and due-today follow-ups and a pool; deterministic."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.core.clock import FrozenClock
from bot.demo import DEMO_MANAGER, seed, seed_if_empty
from config import DatabaseSettings, Settings
from config.settings import SecuritySettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.models import Customer, Deal, StageChange, User
from storage.services import Services
from storage.uow import UnitOfWorkFactory
from tests.harness.db import DatabaseSource, fresh_uow_factory

SECRET = "demo test secret"
NOW = datetime.fromisoformat("2024-06-12T10:00:00+08:00")  # a Wednesday morning in Shanghai


def settings_for(url: str) -> Settings:
    return Settings(database=DatabaseSettings(url=url), security=SecuritySettings(secret_key=SECRET))


def services_for(uow: Any) -> Services:
    return Services(uow, FrozenClock(NOW), Actor(None, "cli"), Settings().pipeline, ContactCipher(SECRET))


async def as_user(uow: Any, login: str) -> Services:
    services = services_for(uow)
    return services.as_actor(Actor(await services.users.by_login(login), "console"))


def days_ago(at: datetime) -> int:
    return (NOW.date() - at.astimezone(NOW.tzinfo).date()).days


@pytest.fixture
async def demo(database_url: str) -> str:
    await seed(settings_for(database_url), FrozenClock(NOW))
    return database_url


async def test_deals_at_every_stage(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        stages = dict((await uow.session.execute(select(Deal.stage, func.count()).group_by(Deal.stage))).all())
    assert set(stages) == {s.key for s in Settings().pipeline.stages}
    assert sum(stages.values()) == 30


async def test_team_of_a_manager_three_reps_and_an_admin(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        users = {u.login: u for u in await services_for(uow).users.list()}
    assert {login: u.role for login, u in users.items()} == {
        "wang": "manager", "li": "rep", "zhang": "rep", "chen": "rep", "admin": "admin"}
    assert {(u.team, u.tz) for u in users.values()} == {("demo", "Asia/Shanghai")}
    assert users[DEMO_MANAGER].name == "王经理"


async def test_reps_have_overdue_and_due_today_follow_ups(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    overdue = due_today = 0
    async with uow_factory() as uow:
        for login in ("li", "zhang", "chen"):
            for deal in await (await as_user(uow, login)).queries.today():
                overdue += deal.overdue
                due_today += not deal.overdue
    assert (overdue, due_today) == (6, 5)


async def test_pool_holds_customers_given_back(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        pool = await (await as_user(uow, "li")).pool.list()
    assert len(pool) == 3
    assert {entry.former_owner for entry in pool} == {"li", "zhang", "chen"}


async def test_closed_deals_have_amounts_and_reasons(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        closed = list(await uow.session.scalars(select(Deal).where(Deal.stage.in_(("won", "lost")))))
    assert all(d.closed_at is not None and d.closed_at < NOW for d in closed)
    assert all(d.lost_reason for d in closed if d.stage == "lost")
    assert all(d.amount for d in closed if d.stage == "won")


async def test_history_is_spread_over_weeks(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        yunfan = await (await as_user(uow, "li")).queries.who("杭州云帆数据")
        deal = await uow.session.get_one(Deal, yunfan[0].deal_id)
        moves = list(await uow.session.scalars(
            select(StageChange.changed_at).where(StageChange.deal_id == deal.id).order_by(StageChange.id)))
    assert [days_ago(at) for at in (deal.created_at, *moves)] == [20, 20, 16, 10]
    assert yunfan[0].next_followup_at is not None
    assert yunfan[0].next_followup_at < NOW


async def test_customers_have_contacts_and_no_duplicates(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        _, rows = await services_for(uow).exports.rows("customers")
        customers = [row async for row in rows]
    assert len({c["name"] for c in customers}) == len(customers) == 30
    assert sum(1 for c in customers if c["contact_phones"]) >= 5
    assert any(str(c["name"]).isascii() for c in customers)


async def test_seed_refuses_when_users_exist(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    assert "already has users" in await seed(settings_for(demo), FrozenClock(NOW + timedelta(days=1)))
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(User.id))) == 5


async def test_seed_if_empty_leaves_a_used_database_alone(demo: str, uow_factory: UnitOfWorkFactory) -> None:
    await seed_if_empty(settings_for(demo), FrozenClock(NOW))
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(Customer.id))) == 30


async def _snapshot(url: str) -> list[dict[str, Any]]:
    async with fresh_uow_factory(url) as factory, factory() as uow:
        rows: list[dict[str, Any]] = []
        for kind in ("deals", "customers", "activities"):
            _, found = await services_for(uow).exports.rows(kind)
            rows += [row async for row in found]
        return rows


async def test_same_now_gives_the_same_data(test_databases: DatabaseSource, tmp_path: Path) -> None:
    snapshots = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        url = test_databases.fresh_url(tmp_path / run)
        await seed_if_empty(settings_for(url), FrozenClock(NOW))
        snapshots.append(await _snapshot(url))
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) > 100


def test_cli_demo_prints_counts_then_refuses(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("DEALBOT_DATABASE__URL", database_url)
    monkeypatch.setenv("DEALBOT_SECURITY__SECRET_KEY", SECRET)
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--now", NOW.isoformat()]) == 0
    assert "30 deals" in capsys.readouterr().out
    assert main(["demo", "--now", NOW.isoformat()]) == 0
    assert "already has users" in capsys.readouterr().out
