"""Bad input gets a short answer in the sender's language with an example, and changes nothing."""

from __future__ import annotations

from storage.models import AuditEntry, Deal
from tests.harness.world import World


async def test_unknown_command_suggests_the_closest(world: World) -> None:
    [reply] = await world.says("li", "nwe Acme")
    assert reply.data["closest"] == "new"
    assert "e.g. new" in reply.text


async def test_unknown_chinese_command_answers_in_chinese(world: World) -> None:
    [reply] = await world.says("li", "你好")
    assert "帮助" in reply.text


async def test_unknown_sender_is_told_to_ask_an_admin(world: World) -> None:
    [reply] = await world.says("stranger", "新建 华为")
    assert "管理员" in reply.text
    assert await world.count(Deal) == 0


async def test_overlong_text_is_refused(world: World) -> None:
    [reply] = await world.says("li", "新建 华为 " + "很" * 4000)
    assert "4000" in reply.text
    assert await world.count(Deal) == 0


async def test_unknown_deal_number(world: World) -> None:
    [reply] = await world.says("li", "推进 #999")
    assert "没有找到商机 #999" in reply.text


async def test_help_for_one_command(world: World) -> None:
    [reply] = await world.says("li", "help log")
    assert "log #12" in reply.text


async def test_failed_command_leaves_no_audit_row(world: World) -> None:
    await world.says("li", "新建 华为")
    before = await world.count(AuditEntry)
    await world.says("zhang", "赢单 #1")
    assert await world.count(AuditEntry) == before
