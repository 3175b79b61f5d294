"""Two commands on the same deal at the same moment are serialized; neither update is lost."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.models import Activity, Deal
from tests.harness.world import World


async def test_owner_log_and_manager_move_at_once_both_land(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    await asyncio.gather(world.says("li", "跟进 #1 电话沟通"), world.says("wang", "推进 #1 报价"),
                         world.says("li", "跟进 #1 又聊了一次"))
    async with world.app.uow_factory() as uow:
        deal = await uow.session.get_one(Deal, 1)
        notes = list(await uow.session.scalars(select(Activity.note).order_by(Activity.id)))
    assert deal.stage == "quote"
    assert sorted(notes) == sorted(["电话沟通", "又聊了一次"])


async def test_the_same_event_twice_is_processed_once(world: World) -> None:
    from bot.console import console_event

    event = console_event("li", "新建 华为", world.clock())
    first, second = await asyncio.gather(world.app.dispatcher.handle(event), world.app.dispatcher.handle(event))
    assert sorted([len(first), len(second)]) == [0, 1]
    assert await world.count(Deal) == 1
