"""Audit rows are written when the unit of work commits, in the order they were made, and never when it
rolls back or ends without a commit (on the active test database)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.models import AuditEntry
from storage.services.base import ServiceContext
from storage.uow import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _context(uow: UnitOfWork) -> ServiceContext:
    return ServiceContext(uow, lambda: NOW, Actor(None, "console", "m-1"), PipelineSettings(),
                          ContactCipher("deferred-rows-test"))


async def _actions(uow_factory: UnitOfWorkFactory) -> list[str]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def test_committed_rows_land_in_order(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        ctx = _context(uow)
        ctx.audit("first", "deal", 1, after={"名": "甲"})
        ctx.audit("second", "deal", 2, before={"stage": "new"}, undoable=True)
        assert await uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 0  # not yet
        await uow.commit()
    assert await _actions(uow_factory) == ["first", "second"]
    async with uow_factory() as uow:
        second = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "second"))
        assert second is not None
        assert (second.before, second.undoable, second.platform, second.message_id) == (
            {"stage": "new"}, True, "console", "m-1")


async def test_rolled_back_or_abandoned_rows_never_land(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        _context(uow).audit("rolled back", "deal", 1)
        await uow.rollback()
        _context(uow).audit("after the rollback", "deal", 1)
        await uow.commit()
    async with uow_factory() as uow:
        _context(uow).audit("abandoned", "deal", 1)  # the block ends without a commit
    assert await _actions(uow_factory) == ["after the rollback"]
