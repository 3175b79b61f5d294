"""Delivery guarantees: a claimed row whose worker died is delivered after its lease; dead letters are
reported to the admins once; a late failure report never re-queues a delivered row."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.adapters.base import Rejected, SendResult
from bot.console import console_event
from bot.core.replies import Reply
from bot.outbox_store import StorageOutboxStore
from bot.outbox_worker import OutboxWorker
from storage.models import OutboxMessage
from storage.outbox import OutboxRepo
from tests.harness.world import World


class RejectingSender:
    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        return Rejected("the platform said no")


async def rows(world: World, *where: Any) -> int:
    async with world.app.uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count(OutboxMessage.id)).where(*where)) or 0)


async def test_a_row_claimed_by_a_worker_that_died_is_delivered_after_the_lease(world: World) -> None:
    store = StorageOutboxStore(world.app.uow_factory)
    async with world.app.uow_factory() as uow:
        await OutboxRepo(uow).enqueue(target={"kind": "user", "name": "li"}, now=world.clock(), kind="notice",
                                      payload={"body": {"type": "text", "text": "lost?"}}, dedupe_key="t:1")
        await uow.commit()
    [claimed] = await store.claim(world.clock(), 10, [None])  # ...by a worker that is then killed
    assert await world.worker.drain() == 0
    world.clock.advance(timedelta(seconds=61))
    assert await world.worker.drain() == 1
    assert await rows(world, OutboxMessage.id == claimed.id, OutboxMessage.status == "delivered") == 1


async def test_dead_letters_are_reported_to_admins_once_a_day(world: World) -> None:
    worker = OutboxWorker(StorageOutboxStore(world.app.uow_factory), {"console": RejectingSender()},
                          world.clock, resolver=None)
    async with world.app.uow_factory() as uow:
        for n in range(2):
            await OutboxRepo(uow).enqueue(target={}, now=world.clock(), platform="console",
                                          payload={"body": {"type": "text", "text": f"#{n}"}})
        await uow.commit()
    await worker.drain()
    await worker.drain()
    assert await rows(world, OutboxMessage.dedupe_key.like("dead_letter_report:%")) == 1  # one admin


async def test_a_late_failure_report_does_not_requeue_a_delivered_row(world: World) -> None:
    await world.says("li", "新建 华为")
    async with world.app.uow_factory() as uow:
        await OutboxRepo(uow).mark_retry(1, at=world.clock(), error="timeout after the platform took it")
        await uow.commit()
    assert await rows(world, OutboxMessage.id == 1, OutboxMessage.status == "delivered") == 1


async def test_run_forever_delivers_until_stopped(world: World) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(world.worker.run_forever(stop, poll_interval=0.01))
    await world.app.dispatcher.handle(console_event("li", "帮助", world.clock()))
    for _ in range(200):
        if await rows(world, OutboxMessage.status == "pending") == 0:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 2)
    assert await rows(world, OutboxMessage.status == "delivered") == 1
