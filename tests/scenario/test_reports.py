"""漏斗/funnel and 日报/digest on demand, and the scheduled daily digest and weekly review (issue 4a)."""

from __future__ import annotations

from datetime import datetime

from bot.core.replies import Card
from reminders.digests import run_daily_digest, run_weekly_review
from reminders.pushes import Push
from storage.models import OutboxMessage
from tests.harness.world import World
from tests.unit.analytics.story import first_weekend, tell_story


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def digest(world: World, when: str) -> int:
    world.clock.set(at(when))
    return await run_daily_digest(world.app.uow_factory, world.clock, world.app.settings)


async def weekly(world: World, when: str) -> int:
    world.clock.set(at(when))
    return await run_weekly_review(world.app.uow_factory, world.clock, world.app.settings)


async def test_manager_funnel_defaults_to_the_team(world: World) -> None:
    await tell_story(world)
    [reply] = await world.says("wang", "漏斗")
    assert reply.data["scope"] == "team"
    assert [s["reached"] for s in reply.data["funnel"]["stages"]] == [4, 2, 2, 2, 2, 1, 1]
    assert reply.data["weighted"] == {"CNY": "300000"}
    assert "线索 | 4 | 50% | 2.0" in reply.text
    assert reply.data["image_png_b64"].startswith("iVBOR")  # base64 of the PNG signature


async def test_rep_funnel_defaults_to_mine(world: World) -> None:
    await tell_story(world)
    [reply] = await world.says("li", "funnel")
    assert reply.data["scope"] == "mine"
    assert [s["reached"] for s in reply.data["funnel"]["stages"]] == [2, 1, 1, 1, 1, 0, 0]
    assert "Lead | 2 | 50%" in reply.text


async def test_rep_sees_team_counts_without_amounts(world: World) -> None:
    await tell_story(world)
    [reply] = await world.says("li", "漏斗 团队")
    assert reply.data["funnel"]["won"] == 1
    assert "weighted" not in reply.data
    assert "¥" not in reply.text
    assert "仅经理可见" in reply.text


async def test_unknown_funnel_scope_shows_usage(world: World) -> None:
    [reply] = await world.says("wang", "漏斗 火星")
    assert reply.data["error"] == "arg.funnel_scope"
    assert "漏斗 [我的|团队]" in reply.text


async def test_digest_on_demand_covers_since_the_last_digest(world: World) -> None:
    await tell_story(world)
    world.clock.set(at("2026-11-30T15:00:00+08:00"))
    [reply] = await world.says("wang", "日报")
    # Since Mon 30 09:00: #1 moved to quote, #2 lost; later events are not yet in the history at 15:00.
    assert (reply.data["moves"], reply.data["lost"], reply.data["lost_reasons"]) == (1, 1, ["价格太高"])
    assert reply.data["lost_total"] == {"CNY": "200000"}
    assert "价格太高" in reply.text


async def test_rep_digest_shows_own_figures(world: World) -> None:
    await first_weekend(world)
    world.clock.set(at("2026-11-30T08:00:00+08:00"))
    [reply] = await world.says("li", "digest")
    assert reply.data["scope"] == "mine"
    assert list(reply.data["reps"]) == ["li"]
    assert reply.data["reps"]["li"] == {"new": 2, "logged": 0, "overdue": 1, "stale": 0, "won": 0}
    assert isinstance(reply.body, Card)
    assert reply.body.title.startswith("My digest")


async def test_daily_digest_goes_out_at_nine_team_time(world: World) -> None:
    await first_weekend(world)
    assert await digest(world, "2026-11-30T08:59:00+08:00") == 0
    assert await digest(world, "2026-11-30T09:00:00+08:00") == 2  # sales and north
    await world.worker.drain()
    [pushed] = world.pushes("team", "sales")
    assert (pushed.data["new"], pushed.data["moves"], pushed.data["date"]) == (4, 2, "2026-11-30")
    assert pushed.data["reps"]["li"]["overdue"] == 1
    assert pushed.data["reps"]["zhang"]["logged"] == 1
    assert "image_png_b64" in pushed.data
    assert "销售日报 · sales · 2026-11-30" in pushed.text


async def test_daily_digest_is_enqueued_once_per_team_and_day(world: World) -> None:
    await first_weekend(world)
    assert await digest(world, "2026-11-30T09:00:00+08:00") == 2
    assert await digest(world, "2026-11-30T09:01:00+08:00") == 0
    assert await digest(world, "2026-11-30T17:59:00+08:00") == 0
    assert await world.count(OutboxMessage) - await replies_count(world) == 2


async def replies_count(world: World) -> int:
    return len([s for s in world.sender.sent if s.target.get("kind") == "conversation"])


async def test_no_digest_on_a_weekend(world: World) -> None:
    assert await digest(world, "2026-11-28T09:00:00+08:00") == 0
    assert await digest(world, "2026-11-29T10:00:00+08:00") == 0


async def test_mondays_digest_has_fridays_win_and_the_stale_deals(world: World) -> None:
    await tell_story(world)
    assert await digest(world, "2026-12-07T09:00:00+08:00") == 2
    await world.worker.drain()
    [pushed] = world.pushes("team", "sales")
    assert (pushed.data["won"], pushed.data["won_total"]) == (1, {"CNY": "1000000"})
    assert pushed.data["stale"] == 2  # #1 in quote since Nov 30 (5 days), #4 in lead since Nov 29 (3 days)
    assert pushed.data["forecast"] == {"CNY": "1300000"}
    assert pushed.data["funnel"]["win_rate"] == [1, 2]


async def test_weekly_review_on_monday_half_past_nine_once(world: World) -> None:
    await tell_story(world)
    assert await weekly(world, "2026-12-07T09:29:00+08:00") == 0
    assert await weekly(world, "2026-12-07T09:30:00+08:00") == 2
    assert await weekly(world, "2026-12-07T10:30:00+08:00") == 0
    await world.worker.drain()
    [review] = world.pushes("team", "sales")
    assert review.data["week_start"] == "2026-11-30"
    assert review.data["flow"]["quote"] == [1, 0]
    assert review.data["flow"]["qualified"] == [0, 2]
    assert review.data["reps"]["zhang"]["won_amount"] == {"CNY": "1000000"}
    assert (review.data["won"], review.data["lost"]) == (1, 1)
    assert "2026年第49周" in review.text


async def test_a_dry_run_reports_the_digest_without_enqueueing(world: World) -> None:
    world.clock.set(at("2026-11-30T09:00:00+08:00"))
    sink: list[Push] = []
    settings = world.app.settings
    assert await run_daily_digest(world.app.uow_factory, world.clock, settings, dry_run=True, sink=sink) == 2
    assert sorted(p.dedupe_key for p in sink) == ["digest:1:2026-11-30", "digest:2:2026-11-30"]
    assert await world.count(OutboxMessage) == 0
