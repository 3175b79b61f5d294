"""deals.in_pool follows its customer's owner whatever moves the customer (release, claim, undo, assign,
the pool job, a deal moved to another customer), and 我的 counts by it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from storage.models import Customer, Deal
from tests.harness.world import World

RETURN_DAY = datetime(2026, 12, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def flags(world: World) -> dict[int, bool]:
    """deal id -> in_pool, after checking every deal's flag against its customer."""
    async with world.app.uow_factory() as uow:
        rows = (await uow.session.execute(
            select(Deal.id, Deal.in_pool, Customer.owner_id).join(Customer, Customer.id == Deal.customer_id)
            .order_by(Deal.id))).all()
    assert [bool(in_pool) for _, in_pool, _ in rows] == [owner is None for _, _, owner in rows]
    return {deal_id: bool(in_pool) for deal_id, in_pool, _ in rows}


async def mine_total(world: World, login: str) -> int:
    [mine] = await world.says(login, "我的")
    return len(mine.data["deals"])


async def test_release_claim_and_undo(world: World) -> None:
    await world.says("li", "新建 华为 50万")
    await world.says("li", "新建 小米")
    assert await flags(world) == {1: False, 2: False}
    await world.says("li", "释放 华为")
    assert await flags(world) == {1: True, 2: False}
    assert await mine_total(world, "li") == 1  # the pooled customer's deal is nobody's
    await world.says("zhang", "领取 1")
    assert await flags(world) == {1: False, 2: False}
    assert await mine_total(world, "zhang") == 1
    await world.says("zhang", "撤销")
    assert await flags(world) == {1: True, 2: False}


async def test_assign_and_a_new_deal_on_a_pool_customer(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.says("li", "释放 华为")
    await world.says("zhang", "新建 华为 20万")  # takes the customer back out of the pool
    assert set((await flags(world)).values()) == {False}
    await world.says("wang", "分配 #2 @li")
    assert set((await flags(world)).values()) == {False}


async def test_the_pool_job_and_a_deal_moved_to_a_pool_customer(world: World) -> None:
    await world.says("li", "新建 华为")
    await world.tick(RETURN_DAY)  # 30 quiet days: back to the pool
    assert await flags(world) == {1: True}
    await world.says("zhang", "新建 小米")
    async with world.app.uow_factory() as uow:  # a script moving a deal, outside the services
        await uow.session.execute(update(Deal).where(Deal.id == 2).values(customer_id=1))
        await uow.commit()
    assert await flags(world) == {1: True, 2: True}
