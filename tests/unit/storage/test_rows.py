"""Rows written by Core statements behave like flushed ORM objects: the object gets its id and column
defaults, belongs to the session, and later changes to it are flushed as UPDATEs (on the active test
database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.models import Customer, Deal, Team, User
from storage.services.base import ServiceContext
from storage.services.rows import insert_persistent, insert_rows, update_versioned
from storage.uow import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _context(uow: UnitOfWork) -> ServiceContext:
    return ServiceContext(uow, lambda: NOW, Actor(None, "console", "m-1"), PipelineSettings(),
                          ContactCipher("rows-test"))


async def test_insert_persistent_then_update(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        team = Team(name="华东", tz="Asia/Shanghai", locale="zh-CN", created_at=NOW)
        await insert_persistent(_context(uow), team)
        assert team.id is not None
        assert team.country == "CN"  # the column default, as a flush would have set it
        assert team in uow.session
        assert not uow.session.dirty
        assert await uow.session.get(Team, team.id) is team  # in the identity map
        team.tz = "Asia/Urumqi"
        await uow.session.flush()  # an UPDATE of the row, not a second INSERT
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.session.scalar(select(Team).where(Team.name == "华东"))
        assert stored is not None
        assert (stored.tz, stored.country, stored.group_chats) == ("Asia/Urumqi", "CN", None)


async def test_a_refused_insert_raises_and_leaves_nothing(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await insert_rows(_context(uow), Team, [{"name": "华南", "tz": "Asia/Shanghai", "locale": "zh-CN",
                                                "country": "CN", "group_chats": None, "created_at": NOW}])
        with pytest.raises(IntegrityError):  # the unique team name
            await insert_persistent(_context(uow), Team(name="华南", tz="UTC", locale="en", created_at=NOW))
        await uow.rollback()
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(Team.name))) == []


async def _deal(uow: UnitOfWork) -> Deal:
    ctx = _context(uow)
    team = Team(name="华北", tz="Asia/Shanghai", locale="zh-CN", created_at=NOW)
    await insert_persistent(ctx, team)
    owner = User(login="li", name="李", role="rep", team_id=team.id, created_at=NOW)
    await insert_persistent(ctx, owner)
    customer = Customer(name="蓝海科技", team_id=team.id, owner_id=owner.id, last_activity_at=NOW, created_at=NOW)
    await insert_persistent(ctx, customer)
    deal = Deal(customer_id=customer.id, owner_id=owner.id, team_id=team.id, stage="lead", created_at=NOW,
                updated_at=NOW, last_activity_at=NOW)
    await insert_persistent(ctx, deal)
    return deal


async def test_a_versioned_update_bumps_the_version_and_leaves_nothing_to_flush(
        uow_factory: UnitOfWorkFactory) -> None:
    later = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        deal = await _deal(uow)
        await update_versioned(_context(uow), deal, updated_at=later, last_activity_at=later)
        assert (deal.version, deal.updated_at) == (2, later)
        assert not uow.session.dirty
        deal.stage = "qualified"  # a later ORM change is flushed against the new version
        await uow.session.flush()
        await uow.commit()
        deal_id = deal.id
    async with uow_factory() as uow:
        stored = await uow.session.get(Deal, deal_id)
        assert stored is not None
        assert (stored.version, stored.stage, stored.last_activity_at) == (3, "qualified", later)


async def test_a_versioned_update_of_a_row_changed_meanwhile_is_stale(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        deal = await _deal(uow)
        await uow.commit()
    async with uow_factory() as other:  # another transaction moves the deal on
        moved = await other.session.get(Deal, deal.id)
        assert moved is not None
        moved.stage = "qualified"
        await other.commit()
    async with uow_factory() as uow:
        uow.session.add(deal)  # the copy read before the other change: version 1
        with pytest.raises(StaleDataError):
            await update_versioned(_context(uow), deal, updated_at=NOW)
        await uow.rollback()
