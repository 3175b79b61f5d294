"""Rows written by Core statements behave like flushed ORM objects: the object gets its id and column
defaults, belongs to the session, and later changes to it are flushed as UPDATEs (on the active test
database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.models import Team
from storage.services.base import ServiceContext
from storage.services.rows import insert_persistent, insert_rows
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
