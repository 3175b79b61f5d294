"""撞单: another rep's protected customer blocks the new deal; owner and group are warned."""

from __future__ import annotations

from datetime import timedelta

from storage.models import Deal, OutboxMessage
from tests.harness.world import World, button


async def test_same_normalized_name_is_a_collision(world: World) -> None:
    await world.says("li", "新建 华为技术有限公司 50万")
    [reply] = await world.says("zhang", "新建 （深圳）华为 30万")
    assert reply.data["collision"] is True
    assert reply.data["owner"] == "li"
    assert "Li" in reply.text
    assert await world.count(Deal) == 1


async def test_collision_warns_owner_and_team_group(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    await world.says("zhang", "新建 华为")
    assert len(world.pushes("user", "li")) == 1
    assert len(world.pushes("team", "sales")) == 1
    assert await world.count(OutboxMessage) == 4  # li's card; zhang's refusal and the two warnings


async def test_same_phone_under_another_name_is_a_collision(world: World) -> None:
    await world.says("li", "新建 华为 张总 13800138000")
    [reply] = await world.says("zhang", "新建 某科技公司 王总 +86 138-0013-8000")
    assert reply.data["collision"] is True
    assert reply.data["matched_by"] == "phone"


async def test_after_protection_period_the_customer_can_be_taken(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    world.clock.advance(timedelta(days=91))
    [reply] = await world.says("zhang", "新建 华为 30万")
    assert reply.data.get("collision") is None
    assert reply.data["owner"] == "zhang"


async def test_blocked_creator_can_ask_the_manager(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    [refusal] = await world.says("zhang", "新建 华为")
    await world.clicks("zhang", button(refusal, "经理"))
    [ask] = world.pushes("team", "sales")[-1:]
    [done, *_] = await world.clicks("wang", button(ask, "Zhang"))
    assert done.data["owner"] == "zhang"
