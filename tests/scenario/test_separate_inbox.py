"""A SQLite database records inbound events in a file of its own when two processes serve: the event is
handled in the main database and its inbox row marked done afterwards; a crash between the two has no
second effect when the claim expires and the event is taken again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import ensure_database
from bot.console import console_event
from bot.core.messages import event_from_dict, event_to_dict
from bot.core.processing import InboxProcessor
from bot.inbox_store import StorageInboxStore
from config import DatabaseSettings
from storage.engine import inbox_database, make_inbox_engine, make_sessionmaker
from storage.models import Deal, InboxEvent
from storage.uow import UnitOfWorkFactory
from tests.harness.world import World


@pytest.fixture
async def inbox_engine(world: World, database_url: str) -> AsyncIterator[AsyncEngine]:
    inbox = inbox_database(DatabaseSettings(url=database_url))
    if inbox.url == database_url:
        pytest.skip("PostgreSQL keeps the inbox in the database itself")
    await ensure_database(inbox)
    engine = make_inbox_engine(inbox)
    yield engine
    await engine.dispose()


def separate_store(world: World, engine: AsyncEngine) -> StorageInboxStore:
    return StorageInboxStore(UnitOfWorkFactory(make_sessionmaker(engine)), world.clock, engine, separate=True)


async def statuses(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(InboxEvent.status).order_by(InboxEvent.id))).scalars())


async def test_the_inbox_file_is_beside_the_database() -> None:
    assert inbox_database(DatabaseSettings(url="sqlite+aiosqlite:////srv/crm/dealbot.db")).url == \
        "sqlite+aiosqlite:////srv/crm/dealbot.inbox.db"
    assert inbox_database(DatabaseSettings(url="postgresql+asyncpg://u@h/db")).url == "postgresql+asyncpg://u@h/db"


async def test_an_event_is_handled_in_the_database_and_marked_done_in_the_inbox(
        world: World, inbox_engine: AsyncEngine) -> None:
    store = separate_store(world, inbox_engine)
    event = console_event("li", "新建 华为", world.clock())
    assert await store.receive("console", event.event_key, event_to_dict(event))
    processor = InboxProcessor(world.app.dispatcher, store, world.clock)
    processor.stop()
    await processor.run()
    assert await world.count(Deal) == 1
    assert await statuses(inbox_engine) == ["done"]


async def test_a_crash_between_handling_and_marking_has_no_second_effect(
        world: World, inbox_engine: AsyncEngine) -> None:
    store = separate_store(world, inbox_engine)
    event = console_event("li", "新建 华为", world.clock())
    await store.receive("console", event.event_key, event_to_dict(event))
    [(_, claimed)] = await store.claim(1)
    await world.app.dispatcher.handle(event_from_dict(claimed))  # handled, then the process died
    world.clock.advance(timedelta(seconds=61))
    processor = InboxProcessor(world.app.dispatcher, store, world.clock)
    processor.stop()
    await processor.run()  # the expired claim is taken again: found handled in the database
    assert await world.count(Deal) == 1
    assert await statuses(inbox_engine) == ["done"]
