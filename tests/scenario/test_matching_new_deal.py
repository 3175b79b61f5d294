"""新建 with a possible or ambiguous customer match: never a collision; the rep confirms or dismisses it."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Customer, CustomerAlias, Deal
from tests.harness.world import World, button

GREE = ("珠海格力电器股份有限公司", ("格力电器", "Gree"))


async def seed(world: World, login: str | None, name: str, aliases: tuple[str, ...] = ()) -> int:
    """A customer owned by `login` (None: in the pool), with the aliases an admin gave it."""
    uow, services = await world.services(login or "wang")
    try:
        user = services.ctx.user()
        customer = await services.customers.create(name, user.team_id, user.id if login else None,
                                                   aliases=aliases)
        await uow.commit()
        return int(customer.id)
    finally:
        await uow.__aexit__(None, None, None)


async def live_deals(world: World) -> list[Deal]:
    async with world.app.uow_factory() as uow:
        return list(await uow.session.scalars(select(Deal).where(Deal.deleted_at.is_(None))))


async def test_possible_match_creates_the_deal_and_shows_candidates(world: World) -> None:
    gree = await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "新建 格力地产 30万")
    assert reply.data.get("collision") is None
    assert [c["customer_id"] for c in reply.data["candidates"]] == [gree]
    assert button(reply, "是同一家")
    assert button(reply, "都不是")
    assert world.pushes("user", "li") == []
    assert reply.data["owner"] == "zhang"
    assert len(await live_deals(world)) == 1


async def test_confirming_another_reps_protected_customer_is_a_collision(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "新建 格力地产 30万")
    withdrawn, refusal, *_ = await world.clicks("zhang", button(reply, "是同一家"))
    assert withdrawn.data["withdrawn"] is True
    assert refusal.data["collision"] is True
    assert refusal.data["owner"] == "li"
    assert len(world.pushes("user", "li")) == 1
    assert await live_deals(world) == []


async def test_confirming_a_pool_customer_merges_and_learns_the_name(world: World) -> None:
    gree = await seed(world, None, *GREE)
    [reply] = await world.says("zhang", "新建 格力地产 30万")
    [merged] = await world.clicks("zhang", button(reply, "是同一家"))
    assert merged.data["customer_id"] == gree
    [deal] = await live_deals(world)
    assert deal.customer_id == gree
    [who] = await world.says("li", "查 格力地产")
    assert who.data["kind"] == "same"
    assert who.data["matches"][0]["owner"] == "zhang"


async def test_merged_customer_is_gone_and_its_name_is_an_alias(world: World) -> None:
    gree = await seed(world, None, *GREE)
    [reply] = await world.says("zhang", "新建 格力地产")
    await world.clicks("zhang", button(reply, "是同一家"))
    async with world.app.uow_factory() as uow:
        live = list(await uow.session.scalars(select(Customer.id).where(Customer.deleted_at.is_(None))))
        aliases = set(await uow.session.scalars(select(CustomerAlias.alias).where(CustomerAlias.customer_id == gree)))
    assert live == [gree]
    assert "格力地产" in aliases


async def test_not_the_same_is_remembered(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "新建 格力地产")
    [answer] = await world.clicks("zhang", button(reply, "都不是"))
    assert "不会再问" in answer.text
    [who] = await world.says("wang", "查 格力地产")
    assert [m["customer"] for m in who.data["matches"]] == ["格力地产"]


async def test_ambiguous_short_name_is_no_collision(world: World) -> None:
    pingan = await seed(world, "li", "中国平安保险(集团)股份有限公司", ("中国平安", "Ping An"))
    bank = await seed(world, "zhao", "平安银行股份有限公司", ("平安银行", "Ping An Bank"))
    [reply] = await world.says("zhang", "新建 平安 10万")
    assert reply.data.get("collision") is None
    assert {c["customer_id"] for c in reply.data["candidates"]} == {pingan, bank}
    assert len(await live_deals(world)) == 1


async def test_only_the_creator_or_a_manager_confirms(world: World) -> None:
    await seed(world, None, *GREE)
    [reply] = await world.says("zhang", "新建 格力地产")
    [refused] = await world.clicks("li", button(reply, "是同一家"))
    assert "只有建这个客户的人" in refused.text
    [done] = await world.clicks("wang", button(reply, "是同一家"))
    assert done.data["merged"] is True


async def test_same_name_still_collides_as_before(world: World) -> None:
    await seed(world, "li", *GREE)
    [reply] = await world.says("zhang", "新建 格力电器 30万")
    assert reply.data["collision"] is True
    assert reply.data["owner"] == "li"
