"""Funnel, time in stage, win rate, weighted pipeline and forecast against the hand-computed story."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from decimal import Decimal

from storage.analytics_dto import Funnel, Ratio, Scope
from storage.dto import Money
from storage.services.analytics import AnalyticsService
from storage.services.analytics_periods import funnel_window
from tests.harness.world import World
from tests.unit.analytics.story import START, tell_story

TZ = "Asia/Shanghai"


@asynccontextmanager
async def analytics(world: World) -> AsyncIterator[tuple[AnalyticsService, int, dict[str, int]]]:
    uow, services = await world.services("wang")
    try:
        users = {u.login: u.id for u in await services.users.list()}
        yield AnalyticsService(services.ctx), services.ctx.user().team_id, users
    finally:
        await uow.__aexit__(None, None, None)


async def team_funnel(world: World, owner: str | None = None) -> Funnel:
    async with analytics(world) as (service, team_id, users):
        since, until = funnel_window(world.clock(), TZ)
        return await service.funnel(Scope(team_id, users[owner] if owner else None), since, until)


async def test_funnel_counts_every_stage_a_deal_reached_or_passed(world: World) -> None:
    await tell_story(world)
    funnel = await team_funnel(world)
    assert [(s.stage, s.reached) for s in funnel.stages] == [
        ("lead", 4), ("qualified", 2), ("needs", 2), ("proposal", 2), ("quote", 2), ("negotiation", 1), ("won", 1)]
    assert (funnel.won, funnel.lost) == (1, 1)


async def test_conversion_to_the_next_stage(world: World) -> None:
    await tell_story(world)
    funnel = await team_funnel(world)
    assert [s.to_next for s in funnel.stages] == [
        Ratio(2, 4), Ratio(2, 2), Ratio(2, 2), Ratio(2, 2), Ratio(1, 2), Ratio(1, 1), None]
    assert Ratio(2, 4).percent() == "50%"


async def test_median_days_in_each_stage(world: World) -> None:
    await tell_story(world)
    funnel = await team_funnel(world)
    assert {s.stage: s.median_days for s in funnel.stages} == {
        "lead": 2.0, "qualified": 2.5, "needs": None, "proposal": None, "quote": None, "negotiation": 1.0,
        "won": None}


async def test_win_rate_is_won_over_closed(world: World) -> None:
    await tell_story(world)
    funnel = await team_funnel(world)
    assert funnel.win_rate == Ratio(1, 2)
    assert funnel.win_rate.value == 0.5


async def test_one_reps_funnel(world: World) -> None:
    await tell_story(world)
    funnel = await team_funnel(world, owner="li")
    assert [s.reached for s in funnel.stages] == [2, 1, 1, 1, 1, 0, 0]
    assert funnel.win_rate == Ratio(0, 1)


async def test_weighted_pipeline_is_exact_decimal_per_currency(world: World) -> None:
    await tell_story(world)
    async with analytics(world) as (service, team_id, _):
        value = await service.pipeline_value(Scope(team_id))
    assert value.weighted() == (Money(Decimal("300000"), "CNY"),)  # #1: 500,000 × 60% (quote)
    assert value.total() == (Money(Decimal("500000"), "CNY"),)
    assert (value.open_deals, value.unpriced) == (2, 1)  # #1 and #4 (no amount)
    assert isinstance(value.weighted()[0].amount, Decimal)


async def test_month_forecast_adds_won_this_month_and_expected_weighted(world: World) -> None:
    await tell_story(world)
    world.clock.advance(timedelta(minutes=1))
    async with analytics(world) as (service, team_id, _):
        since, until = funnel_window(world.clock(), TZ)
        medians = await service.medians(Scope(team_id), since, until)
        _, forecast = await service.forecast(Scope(team_id), world.clock(), TZ, medians)
    # #3 won Dec 4; #1 entered quote Nov 30, + quote (no median: stale_days 5) + negotiation (1) = Dec 6 < Jan 1.
    assert forecast.month == "2026-12"
    assert forecast.won == (Money(Decimal("1000000"), "CNY"),)
    assert forecast.expected == (Money(Decimal("300000"), "CNY"),)
    assert forecast.total() == (Money(Decimal("1300000"), "CNY"),)
    assert forecast.expected_deals == 1


async def test_an_undone_move_does_not_count(world: World) -> None:
    await world.says("li", "新建 华为")
    world.clock.advance(timedelta(minutes=1))
    await world.says("li", "推进 #1")
    await world.says("li", "撤销")
    funnel = await team_funnel(world)
    assert [s.reached for s in funnel.stages][:2] == [1, 0]
    async with analytics(world) as (service, team_id, _):
        changes, _ = await service.period.changes(Scope(team_id), START, world.clock() + timedelta(seconds=1))
    assert changes.moves_count == 0


async def test_soft_deleted_deals_are_left_out(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    await world.says("li", "撤销")
    funnel = await team_funnel(world)
    assert funnel.deals == 0
    async with analytics(world) as (service, team_id, _):
        assert (await service.pipeline_value(Scope(team_id))).open_deals == 0


async def test_another_teams_deals_are_not_counted(world: World) -> None:
    await world.says("zhao", "新建 京东 30万")
    await world.says("li", "新建 华为 50万")
    funnel = await team_funnel(world)
    assert funnel.deals == 1
