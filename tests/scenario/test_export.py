"""`dealbot export`: every record the admin may see, exact amounts and UTC ISO times, in CSV, JSON and XLSX."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.core.clock import FrozenClock
from bot.export import write_json
from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor, Money
from storage.errors import NotAllowed
from storage.models import Deal
from storage.services import ContactInput, DealRef, NewDeal, Services
from storage.services.exports import ExportService
from storage.uow import UnitOfWorkFactory
from tests.harness.db import fresh_uow_factory

SECRET = "export test secret"
NOW = datetime(2024, 6, 12, 2, 0, tzinfo=UTC)
BIG = "123456789012.34"


def services_for(uow: Any, clock: FrozenClock) -> Services:
    return Services(uow, clock, Actor(None, "cli"), PipelineSettings(), ContactCipher(SECRET))


async def populate(uow_factory: UnitOfWorkFactory) -> None:
    """li: a big CNY deal with a contact and a follow-up, a USD deal released to the pool, a deleted deal."""
    clock = FrozenClock(NOW - timedelta(days=3))
    async with uow_factory() as uow:
        cli = services_for(uow, clock)
        li = await cli.users.add("li", "李雷", "rep", "east", None, "Asia/Shanghai")
        rep = cli.as_actor(Actor(li, "cli"))
        big = await rep.deals.create(NewDeal("深圳市华信达科技有限公司", Money(Decimal(BIG), "CNY"), note="首次电话",
                                             contact=ContactInput("刘总", "+8613500135005", "liu@example.com")))
        await rep.customers.create("Contoso Ltd.", li.team_id, li.id, city="Beijing", aliases=["康托索"])
        await uow.session.flush()
        small = await rep.deals.create(NewDeal("Contoso Ltd.", Money(Decimal("0.10"), "USD")))
        gone = await rep.deals.create(NewDeal("Gone Inc."))
        clock.set(NOW)
        assert big.deal
        assert small.deal
        assert gone.deal
        await rep.deals.log(DealRef(big.deal.id), "拜访客户", "visit", NOW + timedelta(days=1), None, None)
        await rep.pool.release(small.deal.customer_id)
        (await uow.session.get_one(Deal, gone.deal.id)).deleted_at = NOW
        await uow.commit()


async def collect(uow_factory: UnitOfWorkFactory, kind: str, batch_size: int = 1000) -> list[dict[str, Any]]:
    async with uow_factory() as uow:
        services = services_for(uow, FrozenClock(NOW))
        _, rows = await ExportService(services.ctx, batch_size).rows(kind)
        return [row async for row in rows]


async def test_deals_keep_exact_amounts_and_utc_times(uow_factory: UnitOfWorkFactory) -> None:
    await populate(uow_factory)
    deals = await collect(uow_factory, "deals")
    assert [(d["customer"], d["amount"], d["currency"]) for d in deals] == [
        ("深圳市华信达科技有限公司", BIG, "CNY"), ("Contoso Ltd.", "0.10", "USD")]
    first = deals[0]
    assert datetime.fromisoformat(first["created_at"]) == NOW - timedelta(days=3)
    assert first["created_at"].endswith("+00:00")
    assert datetime.fromisoformat(first["next_followup_at"]) == NOW + timedelta(days=1)
    assert (first["owner"], first["team"], first["stage"], first["closed_at"]) == ("li", "east", "lead", None)


async def test_customers_show_decrypted_contacts_aliases_and_pool(uow_factory: UnitOfWorkFactory) -> None:
    await populate(uow_factory)
    customers = {c["name"]: c for c in await collect(uow_factory, "customers")}
    hx = customers["深圳市华信达科技有限公司"]
    assert (hx["contact_names"], hx["contact_phones"], hx["contact_emails"]) == (
        "刘总", "+8613500135005", "liu@example.com")
    assert (customers["Contoso Ltd."]["owner"], customers["Contoso Ltd."]["aliases"]) == ("", "康托索")
    assert customers["Contoso Ltd."]["city"] == "Beijing"


async def test_soft_deleted_deals_and_their_activities_are_left_out(uow_factory: UnitOfWorkFactory) -> None:
    await populate(uow_factory)
    assert "Gone Inc." not in {d["customer"] for d in await collect(uow_factory, "deals")}
    activities = await collect(uow_factory, "activities")
    assert [(a["customer"], a["user"], a["kind"], a["note"]) for a in activities] == [
        ("深圳市华信达科技有限公司", "li", "note", "首次电话"), ("深圳市华信达科技有限公司", "li", "visit", "拜访客户")]
    assert datetime.fromisoformat(activities[1]["occurred_at"]) == NOW


async def test_pages_cover_every_row_once(uow_factory: UnitOfWorkFactory) -> None:
    await populate(uow_factory)
    ids = [c["id"] for c in await collect(uow_factory, "customers", batch_size=1)]
    assert ids == sorted(set(ids))
    assert len(ids) == 3  # the deleted deal's customer is not deleted


async def test_a_rep_may_not_export(uow_factory: UnitOfWorkFactory) -> None:
    await populate(uow_factory)
    async with uow_factory() as uow:
        services = services_for(uow, FrozenClock(NOW))
        li = await services.users.by_login("li")
        with pytest.raises(NotAllowed):
            await services.as_actor(Actor(li, "slack")).exports.rows("deals")


# The command line: sync tests, so that the CLI's own asyncio.run has no loop around it.

@pytest.fixture
def cli_db(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DEALBOT_DATABASE__URL", database_url)
    monkeypatch.setenv("DEALBOT_SECURITY__SECRET_KEY", SECRET)
    monkeypatch.chdir(tmp_path)  # no stray dealbot.toml

    async def fill() -> None:
        async with fresh_uow_factory(database_url) as factory:
            await populate(factory)

    asyncio.run(fill())
    return database_url


def test_csv_file_has_bom_header_and_exact_values(cli_db: str, tmp_path: Path) -> None:
    out = tmp_path / "deals.csv"
    assert main(["export", "deals", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,customer,owner")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["customer"], r["amount"]) for r in rows] == [("深圳市华信达科技有限公司", BIG), ("Contoso Ltd.", "0.10")]
    assert rows[1]["closed_at"] == ""
    assert datetime.fromisoformat(rows[0]["updated_at"]) == NOW


def test_json_to_stdout_is_one_array(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "customers", "--format", "json"]) == 0
    customers = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in customers] == ["深圳市华信达科技有限公司", "Contoso Ltd.", "Gone Inc."]
    assert customers[1]["owner"] == ""


def test_xlsx_needs_out(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "deals", "--format", "xlsx"]) == 2
    assert "--out" in capsys.readouterr().err


def test_xlsx_has_numeric_amounts_beside_their_currency(cli_db: str, tmp_path: Path) -> None:
    out = tmp_path / "deals.xlsx"
    assert main(["export", "deals", "--format", "xlsx", "--out", str(out)]) == 0
    rows = list(load_workbook(out, read_only=True)["deals"].values)
    header = rows[0]
    amount, currency = header.index("amount"), header.index("currency")
    assert [(Decimal(str(r[amount])).quantize(Decimal("0.01")), r[currency]) for r in rows[1:]] == [
        (Decimal(BIG), "CNY"), (Decimal("0.10"), "USD")]
    assert not list(tmp_path.glob("*.part"))


async def _empty() -> AsyncIterator[dict[str, Any]]:
    return
    yield {}


async def test_nothing_to_export_is_an_empty_json_array(tmp_path: Path) -> None:
    out = tmp_path / "none.json"
    assert await write_json(str(out), ["id"], _empty()) == 0
    assert json.loads(out.read_text()) == []
