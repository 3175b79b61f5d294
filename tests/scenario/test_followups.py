"""跟进/log and 提醒/remind: follow-ups recorded, the due one closed, the next one set."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import FollowUp
from tests.harness.world import World, button


async def open_followups(world: World) -> list[FollowUp]:
    async with world.app.uow_factory() as uow:
        return list(await uow.session.scalars(select(FollowUp).where(FollowUp.status == "open")))


async def test_log_by_customer_name_sets_next_followup(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天上午10点")
    [reply] = await world.says("li", "跟进 华为 电话沟通了报价 下次 周五下午3点")
    assert reply.data["next_followup_at"] == "2026-11-27T07:00:00+00:00"
    assert "电话" in reply.text
    assert len(await open_followups(world)) == 1


async def test_log_without_next_leaves_none_due_and_offers_buttons(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天")
    [reply] = await world.says("li", "跟进 #1 拜访了客户")
    assert reply.data["next_followup_at"] is None
    assert await open_followups(world) == []
    [set_next] = await world.clicks("li", button(reply, "明天"))
    assert set_next.data["next_followup_at"] == "2026-11-28T01:00:00+00:00"


async def test_log_in_english(world: World) -> None:
    await world.says("li", "new Acme")
    [reply] = await world.says("li", "log #1 called about pricing next Mon 10am")
    assert reply.data["next_followup_at"] == "2026-11-30T02:00:00+00:00"
    assert "Logged (call)" in reply.text


async def test_log_with_unreadable_next_time_says_which_part(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "跟进 #1 聊了聊 下次 改天")
    assert "改天" in reply.text
    assert "用法" in reply.text
    assert reply.data["error"] == "arg.when"


async def test_log_needs_a_note(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "跟进 #1")
    assert reply.data["part"] == "note"


async def test_remind_replaces_the_open_followup(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天")
    [reply] = await world.says("li", "提醒 #1 下周三下午2点")
    [due] = await open_followups(world)
    assert due.due_at.isoformat() == "2026-12-02T06:00:00+00:00"
    assert reply.data["next_followup_at"] == due.due_at.isoformat()


async def test_remind_in_english(world: World) -> None:
    await world.says("li", "new Acme")
    [reply] = await world.says("li", "remind #1 in 3 days")
    assert reply.data["next_followup_at"] == "2026-11-30T01:00:00+00:00"


async def test_others_cannot_log_on_my_deal(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("zhang", "跟进 #1 偷偷跟进")
    assert "负责人" in reply.text
