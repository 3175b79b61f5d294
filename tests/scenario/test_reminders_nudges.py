"""Follow-up nudges: on the minute, merged when close together, once only, snoozed, switched off and on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.replies import Card, Reply
from bot.outbox_store import StorageOutboxStore
from reminders.nudges import run_nudges
from reminders.pushes import Push
from storage.models import OutboxMessage
from tests.harness.world import World, button

SH = ZoneInfo("Asia/Shanghai")
MON_0959 = datetime(2026, 11, 30, 9, 59, tzinfo=SH)


def mine(pushes: list[Push]) -> list[Push]:
    """Follow-up reminders only (Monday mornings also bring digests, and a Friday lead is stale by then)."""
    return [p for p in pushes if p.kind in ("nudge", "overdue", "escalation")]


def nudges(world: World) -> list[Reply]:
    return [r for r in world.pushes("user", "li") if r.data.get("push") == "nudge"]


def kinds(pushes: list[Push]) -> list[str]:
    return [p.kind for p in mine(pushes)]


async def test_a_nudge_comes_at_the_minute_and_not_before(world: World) -> None:
    await world.says("li", "新建 华为 50万 下周一上午10点")
    assert kinds(await world.tick(MON_0959)) == []
    [push] = mine(await world.tick(MON_0959 + timedelta(minutes=1)))
    assert (push.kind, push.recipient, push.deal_id) == ("nudge", "li", 1)
    assert push.dedupe_key == "nudge:1:2026-11-30"


async def test_the_nudge_is_the_deal_card_with_log_snooze_and_reschedule(world: World) -> None:
    await world.says("li", "新建 华为 50万 下周一上午10点")
    await world.tick(MON_0959 + timedelta(minutes=1))
    [nudge] = nudges(world)
    assert isinstance(nudge.body, Card)
    assert [b.action.name for b in nudge.body.buttons] == ["deal.log_prompt", "deal.snooze", "deal.remind_prompt"]
    assert "华为" in nudge.text


async def test_nudges_due_within_minutes_come_as_one_message(world: World) -> None:
    await world.says("li", "新建 华为 下周一上午10点")
    await world.says("li", "新建 腾讯 下周一上午10点3分")
    await world.says("li", "新建 阿里 下周一上午10点20分")
    assert [p.deal_ids for p in mine(await world.tick(MON_0959 + timedelta(minutes=1)))] == [(1, 2)]
    assert kinds(await world.tick(MON_0959 + timedelta(minutes=5))) == []
    assert [p.deal_ids for p in mine(await world.tick(MON_0959 + timedelta(minutes=21)))] == [(3,)]


async def test_a_second_tick_pushes_nothing_again(world: World) -> None:
    await world.says("li", "新建 华为 下周一上午10点")
    await world.tick(MON_0959 + timedelta(minutes=1))
    assert kinds(await world.tick(MON_0959 + timedelta(minutes=2))) == []
    assert len(nudges(world)) == 1


async def test_a_dry_run_writes_nothing(world: World) -> None:
    await world.says("li", "新建 华为 下周一上午10点")
    before = await world.count(OutboxMessage)
    assert kinds(await world.tick(MON_0959 + timedelta(minutes=1), dry_run=True)) == ["nudge"]
    assert await world.count(OutboxMessage) == before
    assert kinds(await world.tick()) == ["nudge"]


async def test_snooze_moves_the_follow_up_to_the_same_time_tomorrow(world: World) -> None:
    await world.says("li", "新建 华为 下周一上午10点")
    await world.tick(MON_0959 + timedelta(minutes=1))
    [reply] = await world.clicks("li", button(nudges(world)[0], "推迟"))
    assert reply.data["next_followup_at"] == "2026-12-01T02:00:00+00:00"
    assert [p.deal_id for p in mine(await world.tick(datetime(2026, 12, 1, 10, 0, tzinfo=SH)))] == [1]


async def test_a_rep_who_turned_nudges_off_gets_none(world: World) -> None:
    [reply] = await world.says("li", "提醒 关闭 跟进")
    assert reply.data["reminders_off"] == ["nudge"]
    await world.says("li", "新建 华为 下周一上午10点")
    assert kinds(await world.tick(MON_0959 + timedelta(minutes=1))) == []


async def test_turning_them_back_on_in_english(world: World) -> None:
    await world.says("li", "提醒 关闭 跟进")
    [reply] = await world.says("li", "remind on nudge")
    assert reply.data["reminders_off"] == []
    await world.says("li", "新建 华为 下周一上午10点")
    assert kinds(await world.tick(MON_0959 + timedelta(minutes=1))) == ["nudge"]


async def test_switch_words_glued_and_several_kinds(world: World) -> None:
    [reply] = await world.says("li", "提醒关闭日报、逾期")
    assert reply.data["reminders_off"] == ["overdue", "digest"]


async def test_an_unknown_kind_gets_the_list_of_kinds(world: World) -> None:
    [reply] = await world.says("li", "remind off everything")
    assert reply.data["error"] == "arg.remind_kind"
    assert "digest" in reply.text


async def test_remind_with_a_time_still_works(world: World) -> None:
    await world.says("li", "新建 华为")
    [reply] = await world.says("li", "提醒 #1 明天下午3点")
    assert reply.data["next_followup_at"] == "2026-11-28T07:00:00+00:00"


async def test_overdue_opt_out_silences_the_rep_but_not_the_escalation(world: World) -> None:
    await world.says("li", "提醒 关闭 逾期")
    await world.says("li", "新建 华为 下周一上午10点")
    await world.tick(MON_0959 + timedelta(minutes=1))
    pushes = await world.tick(datetime(2026, 12, 3, 10, 0, tzinfo=SH))
    assert kinds(pushes) == ["escalation"]


async def test_the_tick_stores_what_to_show_and_the_card_is_rendered_at_delivery(world: World) -> None:
    await world.says("li", "新建 华为 50万 下周一上午10点")
    world.clock.set(MON_0959 + timedelta(minutes=1))
    assert await run_nudges(world.app.uow_factory, world.clock, world.app.settings, cipher=world.app.cipher) == 1
    async with world.app.uow_factory() as uow:
        [row] = await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
    assert row.payload["deals_card"]["deal_ids"] == [1]
    assert row.payload["body"]["type"] == "text"
    assert "#1" in row.payload["body"]["text"]
    await world.says("li", "推进 #1")  # the deal moves on before the worker sends the nudge
    [nudge] = nudges(world)
    assert isinstance(nudge.body, Card)
    assert "华为" in nudge.text
    assert "初步筛选" in nudge.body.title  # the stage it is in at delivery, not the one it had at the tick
    assert (nudge.data["dedupe_key"], nudge.data["deal_id"]) == ("nudge:1:2026-11-30", 1)


async def test_without_a_renderer_the_stand_in_text_is_sent(world: World) -> None:
    await world.says("li", "新建 华为 下周一上午10点")
    world.clock.set(MON_0959 + timedelta(minutes=1))
    await run_nudges(world.app.uow_factory, world.clock, world.app.settings, cipher=world.app.cipher)
    [item] = await StorageOutboxStore(world.app.uow_factory).claim(world.clock(), 10, [None])
    assert item.payload["body"]["type"] == "text"
    assert "#1" in item.payload["body"]["text"]
