"""撤销/undo: the sender's last change within ten minutes, reverted through the services."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import AuditEntry, StageChange
from tests.harness.world import World


async def test_undo_a_new_deal_removes_it(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    [reply] = await world.says("li", "撤销")
    assert "新建商机 #1" in reply.text
    [mine] = await world.says("li", "我的")
    assert mine.data["deals"] == []
    [who] = await world.says("li", "查 华为")
    assert who.data["matches"] == []


async def test_undo_a_move_restores_the_stage_and_keeps_history_true(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "推进 #1")
    await world.says("li", "undo")
    [card] = await world.says("li", "查 华为")
    assert card.data["matches"][0]["stage"] == "lead"
    async with world.app.uow_factory() as uow:
        rows = list(await uow.session.scalars(select(StageChange.to_stage).order_by(StageChange.id)))
    assert rows == ["lead", "qualified", "lead"]


async def test_undo_a_log_reopens_the_due_followup(world: World) -> None:
    await world.says("li", "新建 华为 下次 明天")
    await world.says("li", "跟进 #1 打了电话")
    await world.says("li", "撤销")
    [today] = await world.says("li", "我的")
    assert today.data["deals"][0]["next_followup_at"] == "2026-11-28T01:00:00+00:00"


async def test_undo_only_within_ten_minutes(world: World) -> None:
    await world.says("li", "新建 华为")
    world.clock.advance(timedelta(minutes=11))
    [reply] = await world.says("li", "撤销")
    assert "10 分钟内没有" in reply.text


async def test_undo_is_audited_and_only_undoes_my_own_change(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("zhang", "undo")
    assert "Nothing of yours" in reply.text
    await world.says("li", "撤销")
    async with world.app.uow_factory() as uow:
        actions = list(await uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["deal.create", "deal.create.undo"]
