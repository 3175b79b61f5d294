"""推进/move, 赢单/won, 输单/lost: stage changes, each recorded in the history."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import StageChange
from tests.harness.world import World, button


async def history(world: World) -> list[tuple[str | None, str]]:
    async with world.app.uow_factory() as uow:
        rows = await uow.session.scalars(select(StageChange).order_by(StageChange.id))
        return [(r.from_stage, r.to_stage) for r in rows]


async def test_move_goes_to_the_next_stage(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "推进 #1")
    assert reply.data["stage"] == "qualified"
    assert await history(world) == [(None, "lead"), ("lead", "qualified")]


async def test_move_to_a_named_stage_in_english(world: World) -> None:
    await world.says("li", "new Acme")
    [reply] = await world.says("li", "move #1 quote")
    assert reply.data["stage"] == "quote"


async def test_unknown_stage_lists_the_stages(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "推进 #1 火星")
    assert "线索" in reply.text
    assert "谈判" in reply.text


async def test_move_button_advances_the_card(world: World) -> None:
    [card] = await world.says("li", "新建 华为")
    [moved] = await world.clicks("li", button(card, "推进"))
    assert moved.data["stage"] == "qualified"
    assert moved.mode.value == "update_source"


async def test_won_with_amount(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    [reply] = await world.says("li", "赢单 #1 48万")
    assert (reply.data["stage"], reply.data["amount"]) == ("won", "480000")


async def test_lost_needs_a_reason(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "输单 #1")
    assert reply.data["part"] == "reason"
    [reply] = await world.says("li", "lost #1 went with a competitor")
    assert reply.data["stage"] == "lost"
    assert "went with a competitor" in reply.text


async def test_closed_deal_cannot_move(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "赢单 #1")
    [reply] = await world.says("li", "推进 #1")
    assert "已经结束" in reply.text


async def test_rep_cannot_move_anothers_deal_but_manager_can(world: World) -> None:
    await world.says("li", "新建 华为")
    [refused] = await world.says("zhang", "推进 #1")
    assert "负责人" in refused.text
    [moved] = await world.says("wang", "推进 #1")
    assert moved.data["stage"] == "qualified"


async def test_manager_of_another_team_cannot_move(world: World) -> None:
    await world.add_user("sun", "manager", team="north")
    await world.says("li", "新建 华为")
    [refused] = await world.says("sun", "move #1")
    assert "owner" in refused.text


async def test_no_followup_on_a_closed_deal(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "赢单 #1")
    [reply] = await world.says("li", "提醒 #1 明天")
    assert "已经结束" in reply.text
