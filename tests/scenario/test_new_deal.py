"""新建/new: a deal with customer, amount, contact and next follow-up from one line, in both languages."""

from __future__ import annotations

from storage.models import Deal, FollowUp, StageChange
from tests.harness.world import World


async def test_new_in_chinese_reads_every_part(world: World) -> None:
    [reply] = await world.says("li", "新建 华为 50万 张总 13800138000 下次 下周三上午10点 聊方案")
    data = reply.data
    assert (data["customer"], data["amount"], data["currency"], data["stage"]) == ("华为", "500000", "CNY", "lead")
    assert data["next_followup_at"] == "2026-12-02T02:00:00+00:00"
    assert "张总 +8613800138000" in reply.text


async def test_new_in_english_answers_in_english(world: World) -> None:
    [reply] = await world.says("li", "new Acme Corp $1.2M next Tue 2pm demo")
    assert reply.data["customer"] == "Acme Corp"
    assert (reply.data["amount"], reply.data["currency"]) == ("1200000", "USD")
    assert reply.data["next_followup_at"] == "2026-12-01T06:00:00+00:00"
    assert "Created deal" in reply.text


async def test_new_records_stage_history_and_followup(world: World) -> None:
    await world.says("li", "新建 腾讯 下次 明天下午3点")
    assert await world.count(Deal) == 1
    assert await world.count(StageChange) == 1
    assert await world.count(FollowUp) == 1


async def test_new_without_customer_shows_usage_and_writes_nothing(world: World) -> None:
    [reply] = await world.says("li", "新建")
    assert "用法：新建" in reply.text
    assert "例：" in reply.text
    assert await world.count(Deal) == 0


async def test_new_for_own_customer_adds_second_deal(world: World) -> None:
    await world.says("li", "新建 华为技术有限公司 30万")
    [reply] = await world.says("li", "新建 华为 二期 80万")
    assert reply.data["customer_id"] == 1
    assert await world.count(Deal) == 2


async def test_absurd_amount_is_refused_with_an_example(world: World) -> None:
    [reply] = await world.says("li", "新建 华为 " + "9" * 20 + "万")
    assert reply.data["error"] == "arg.amount_too_large"
    assert await world.count(Deal) == 0
