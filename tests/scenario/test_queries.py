"""查/who, 我的/mine, 今天/today: what a rep sees, and what is hidden from them."""

from __future__ import annotations

from datetime import timedelta

from tests.harness.world import World


async def test_who_shows_owner_stage_and_next_followup(world: World) -> None:
    await world.says("li", "新建 华为技术有限公司 50万 下次 明天下午3点")
    [reply] = await world.says("zhang", "查 华为")
    [match] = reply.data["matches"]
    assert (match["owner"], match["stage"]) == ("li", "lead")
    assert "Li" in reply.text
    assert "11月28日" in reply.text


async def test_who_hides_amounts_from_other_reps_but_not_the_manager(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    [rep_view] = await world.says("zhang", "查 华为")
    assert "500,000" not in rep_view.text
    [manager_view] = await world.says("wang", "查 华为")
    assert "500,000" in manager_view.text


async def test_who_by_phone(world: World) -> None:
    await world.says("li", "新建 华为 张总 13800138000")
    [reply] = await world.says("zhang", "who +86 138 0013 8000")
    assert reply.data["matches"][0]["customer"] == "华为"


async def test_who_unknown_offers_to_create(world: World) -> None:
    [reply] = await world.says("li", "查 不存在的公司")
    assert reply.data["matches"] == []
    assert "新建 不存在的公司" in reply.text


async def test_mine_lists_overdue_first(world: World) -> None:
    await world.says("li", "新建 华为 下次 下周一")
    await world.says("li", "新建 腾讯 下次 明天")
    world.clock.advance(timedelta(days=2))
    [reply] = await world.says("li", "我的")
    assert [d["customer"] for d in reply.data["deals"]] == ["腾讯", "华为"]
    assert "已逾期" in reply.text


async def test_mine_when_empty_says_how_to_start(world: World) -> None:
    [reply] = await world.says("li", "mine")
    assert "new Acme" in reply.text


async def test_today_lists_only_what_is_due_by_tonight(world: World) -> None:
    await world.says("li", "新建 华为 下次 今天下午5点")
    await world.says("li", "新建 腾讯 下次 明天")
    [reply] = await world.says("li", "今天")
    assert [d["customer"] for d in reply.data["deals"]] == ["华为"]


async def test_today_in_english_when_nothing_is_due(world: World) -> None:
    [reply] = await world.says("li", "today")
    assert "Nothing due today" in reply.text
