"""The pool period by the clock (warning, return, who is told) and the collision safety net."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import AuditEntry, Customer, PoolEvent
from tests.harness.world import World

SH = ZoneInfo("Asia/Shanghai")
WARN_DAY = datetime(2026, 12, 24, 10, 0, tzinfo=SH)  # 27 days after Fri 11-27 10:00: a Thursday
RETURN_DAY = datetime(2026, 12, 27, 10, 0, tzinfo=SH)  # 30 days: a Sunday


def pool_kinds(pushes: list[object]) -> list[tuple[str, str]]:
    return [(p.kind, p.recipient) for p in pushes if p.kind.startswith("pool")]  # type: ignore[attr-defined]


async def owner_of(world: World, customer_id: int) -> int | None:
    async with world.app.uow_factory() as uow:
        return await uow.session.scalar(select(Customer.owner_id).where(Customer.id == customer_id))


async def test_the_owner_is_warned_three_days_before_once(world: World) -> None:
    await world.says("li", "新建 华为")
    assert pool_kinds(await world.tick(WARN_DAY)) == [("pool_warning", "li")]
    assert pool_kinds(await world.tick(WARN_DAY.replace(hour=11))) == []
    [warning] = world.pushes("user", "li")[-1:]
    assert "华为" in warning.text


async def test_the_customer_returns_on_the_day_and_owner_and_group_are_told(world: World) -> None:
    await world.says("li", "新建 华为")
    pushes = await world.tick(RETURN_DAY)
    assert sorted(pool_kinds(pushes)) == [("pool_return", "li"), ("pool_return", "sales")]
    assert await owner_of(world, 1) is None


async def test_the_news_waits_for_monday_morning_when_it_happens_on_sunday(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.tick(RETURN_DAY)
    assert world.pushes("team", "sales") == []
    await world.tick(datetime(2026, 12, 28, 9, 0, tzinfo=SH))
    assert "华为" in world.pushes("team", "sales")[-1].text


async def test_the_return_is_audited_and_starts_the_reclaim_cooldown(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.tick(RETURN_DAY)
    async with world.app.uow_factory() as uow:
        event = await uow.session.scalar(select(PoolEvent).where(PoolEvent.kind == "return"))
        audit = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "pool.return"))
    assert event is not None
    assert audit is not None
    assert audit.platform == "scheduler"
    [reply] = await world.says("li", "领取 1")
    assert "2027-01-03" in reply.text  # the former owner waits the 7-day cooldown


async def test_activity_keeps_the_customer(world: World) -> None:
    await world.says("li", "新建 华为")
    world.clock.set(WARN_DAY)
    await world.says("li", "跟进 华为 打了电话")
    await world.tick(RETURN_DAY)
    assert await owner_of(world, 1) is not None


async def test_a_dry_run_returns_nothing_to_the_pool(world: World) -> None:
    await world.says("li", "新建 华为")
    assert len(pool_kinds(await world.tick(RETURN_DAY, dry_run=True))) == 2
    assert await owner_of(world, 1) is not None


async def test_pool_warnings_can_be_switched_off(world: World) -> None:
    await world.says("li", "提醒 关闭 公海")
    await world.says("li", "新建 华为")
    assert pool_kinds(await world.tick(WARN_DAY)) == []


async def racing_twin(world: World) -> None:
    """What two reps creating the same company in the same instant leave behind: two owned customers."""
    uow, services = await world.services("zhang")
    try:
        zhang = await services.users.by_login("zhang")
        await services.customers.create("华为", zhang.team_id, zhang.id)
        await uow.commit()
    finally:
        await uow.__aexit__(None, None, None)


async def test_the_safety_net_warns_both_reps_and_the_group_once(world: World) -> None:
    await world.says("li", "新建 华为")
    await racing_twin(world)
    pushes = [p for p in await world.tick("2026-11-27T10:05:00+08:00") if p.kind == "collision"]
    assert sorted(p.recipient for p in pushes) == ["li", "sales", "zhang"]
    assert all(p.dedupe_key.startswith("collision:1-2:") for p in pushes)
    assert [p for p in await world.tick("2026-11-27T10:10:00+08:00") if p.kind == "collision"] == []


async def test_the_immediate_check_leaves_nothing_for_the_net(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("zhang", "新建 华为")  # refused at once; owner and group warned by the command
    assert [p for p in await world.tick("2026-11-27T10:05:00+08:00") if p.kind == "collision"] == []
