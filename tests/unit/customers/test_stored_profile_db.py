"""Every customer the services write carries a stored profile the matcher can use (not a stale one that
makes it parse again), and changing the names rewrites it."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.customers_cli import reindex
from storage.matching import CustomerRecord
from storage.matching.profile import parse_profile
from storage.matching.stored_profile import decode
from storage.models import Customer, CustomerAlias
from storage.schema import stale_profiles
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.unit.customers.bookdb import load_book, services


async def records(uow: UnitOfWork) -> list[CustomerRecord]:
    """Each customer as the matcher's lookup assembles it (aliases in id order) with its stored profile."""
    aliases: dict[int, list[str]] = {}
    for cid, alias in await uow.session.execute(select(CustomerAlias.customer_id, CustomerAlias.alias)
                                                .order_by(CustomerAlias.id)):
        aliases.setdefault(cid, []).append(alias)
    rows = await uow.session.execute(select(Customer.id, Customer.name, Customer.city, Customer.match_profile))
    return [CustomerRecord(str(cid), name, tuple(aliases.get(cid, ())), city, stored=stored)
            for cid, name, city, stored in rows]


def usable(record: CustomerRecord) -> bool:
    return record.stored is not None and decode(record.stored, record, frozenset(), ()) == parse_profile(record)


async def test_every_customer_created_through_the_services_has_a_usable_profile(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await load_book(uow_factory)
    async with uow_factory() as uow:
        found = await records(uow)
    assert len(found) > 150
    assert [r.name for r in found if not usable(r)] == []


async def test_adding_an_alias_rewrites_the_profile(uow_factory: UnitOfWorkFactory) -> None:
    ids = await load_book(uow_factory)
    cid = min(ids.values())
    async with uow_factory() as uow:
        svc = await services(uow)
        before = (await svc.customers.get(cid)).match_profile  # type: ignore[union-attr]
        assert await svc.customers.add_aliases(cid, ["某某新别名"]) == ["某某新别名"]
        await uow.commit()
    async with uow_factory() as uow:
        record = next(r for r in await records(uow) if r.id == str(cid))
    assert "某某新别名" in record.aliases
    assert record.stored != before
    assert usable(record)


async def test_stale_profiles_are_reported_and_reindex_rewrites_them(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await load_book(uow_factory)
    assert await stale_profiles(engine) == (0, len(ids))
    newest = sorted(ids.values())[-3:]
    async with uow_factory() as uow:
        await uow.session.execute(update(Customer).where(Customer.id == newest[0]).values(match_profile=None))
        await uow.session.execute(update(Customer).where(Customer.id == newest[1]).values(
            match_profile="not a profile"))
        await uow.session.execute(update(Customer).where(Customer.id == newest[2]).values(
            match_profile='["0000000000000000"]'))
        await uow.commit()
    assert await stale_profiles(engine) == (3, len(ids))
    assert await stale_profiles(engine, sample=2) == (2, 2)
    async with uow_factory() as uow:
        assert await reindex(await services(uow)) == len(ids)
        await uow.commit()
    assert await stale_profiles(engine) == (0, len(ids))
    async with uow_factory() as uow:
        assert [r.name for r in await records(uow) if not usable(r)] == []
