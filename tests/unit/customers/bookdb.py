"""The evaluation book (tests/data/matching_book.jsonl) loaded into a test database through the services."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.core.clock import FrozenClock
from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.matching import canonical_phone
from storage.services import ContactInput, Services
from storage.uow import UnitOfWork, UnitOfWorkFactory

DATA = Path(__file__).parents[2] / "data"
BOOK = DATA / "matching_book.jsonl"
QUERIES = [DATA / "matching_eval.jsonl", DATA / "matching_holdout.jsonl"]
CIPHER = ContactCipher("test-secret")
CLOCK = FrozenClock(datetime.fromisoformat("2026-11-27T10:00:00+08:00"))


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def services(uow: UnitOfWork, login: str | None = "rep") -> Services:
    found = Services(uow, CLOCK, Actor(None, "test"), PipelineSettings(), CIPHER)
    if login is None:
        return found
    return found.as_actor(Actor(await found.users.by_login(login), "test"))


async def add_rep(uow_factory: UnitOfWorkFactory, login: str = "rep", role: str = "rep") -> None:
    async with uow_factory() as uow:
        await (await services(uow, None)).users.add(login, login.title(), role, "sales", None, "Asia/Shanghai")
        await uow.commit()


async def load_book(uow_factory: UnitOfWorkFactory, path: Path = BOOK) -> dict[str, int]:
    """Every record as a pool customer with its aliases, city, phones and e-mail domains; book id -> id."""
    await add_rep(uow_factory)
    ids: dict[str, int] = {}
    async with uow_factory() as uow:
        svc = await services(uow)
        team = svc.ctx.user().team_id
        for record in lines(path):
            customer = await svc.customers.create(record["name"], team, None, city=record.get("city"),
                                                  aliases=record.get("aliases") or ())
            for phone in record.get("phones") or ():
                await svc.customers.add_contact(customer.id, ContactInput(None, canonical_phone(phone), None))
            for domain in record.get("email_domains") or ():
                await svc.customers.add_contact(customer.id, ContactInput(None, None, f"sales@{domain}"))
            ids[record["id"]] = customer.id
        await uow.commit()
    return ids
