"""公海/pool, 领取/claim, 释放/release and 分配/assign."""

from __future__ import annotations

from datetime import timedelta

from tests.harness.world import World, button


async def test_release_then_another_rep_claims_with_the_open_deal(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    [released] = await world.says("li", "释放 #1")
    assert released.data["customer"] == "华为"
    [pool] = await world.says("zhang", "公海")
    assert [c["customer"] for c in pool.data["customers"]] == ["华为"]
    [claimed] = await world.clicks("zhang", button(pool, "领取"))
    assert claimed.data["customer_id"] == 1
    [who] = await world.says("zhang", "查 华为")
    assert who.data["matches"][0]["owner"] == "zhang"


async def test_former_owner_waits_for_the_cooldown(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "释放 华为")
    [refused] = await world.says("li", "领取 1")
    assert "之后才能再领取" in refused.text
    world.clock.advance(timedelta(days=8))
    [claimed] = await world.says("li", "claim 1")
    assert claimed.data["customer_id"] == 1


async def test_claims_are_capped_per_day(world: World) -> None:
    for name in ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司", "己公司"):
        await world.says("li", f"新建 {name}")
        await world.says("li", f"释放 {name}")
    replies = [(await world.says("zhang", f"领取 {i}"))[0] for i in range(1, 7)]
    assert "今天已经领取了 5 个客户" in replies[-1].text


async def test_new_deal_on_a_pool_customer_claims_it(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "释放 华为")
    [reply] = await world.says("zhang", "新建 华为 30万")
    assert reply.data["owner"] == "zhang"
    assert "公海" in reply.text


async def test_manager_assigns_and_both_reps_are_told(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("wang", "分配 #1 @zhang")
    assert reply.data["owner"] == "zhang"
    assert len(world.pushes("user", "zhang")) == 1
    assert len(world.pushes("user", "li")) == 1


async def test_rep_cannot_assign(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "assign #1 @zhang")
    assert "manager" in reply.text


async def test_manager_cannot_assign_to_another_team(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("wang", "分配 #1 @zhao")
    assert "不在这个团队" in reply.text


async def test_released_customer_leaves_my_list_and_its_reminders_stop(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天")
    await world.says("li", "释放 华为")
    [mine] = await world.says("li", "我的")
    assert mine.data["deals"] == []
    [today] = await world.says("li", "今天")
    assert today.data["deals"] == []


async def test_undo_release_brings_the_followup_back(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天")
    await world.says("li", "释放 华为")
    await world.says("li", "撤销")
    [mine] = await world.says("li", "我的")
    assert mine.data["deals"][0]["next_followup_at"] == "2026-11-28T01:00:00+00:00"
