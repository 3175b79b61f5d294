"""`dealbot import deals`: one deal per row, created as its owner through `DealService.create`, so the
collision rule applies exactly as in the chat; the customer is matched like a customer import's row.

Columns (English or Chinese header): customer/客户 (required), owner/负责人 (required, a user login),
stage/阶段 (any stage name; default the first), amount/金额 (e.g. 500000 or 50万), currency/币种 (default
CNY), next_followup/下次跟进 (ISO date or date-time; a date means 09:00 in the owner's time zone),
note/备注 (also the reason of a lost deal), and optionally phone/电话, email/邮箱, contact/联系人.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from storage.dto import Actor, Money
from storage.errors import DomainError
from storage.importing.customers import Owners, contact_of, possible
from storage.importing.report import ImportReport, Outcome
from storage.importing.rows import Row
from storage.pipeline import LOST, WON, Pipeline
from storage.services.base import ServiceContext
from storage.services.customers import CustomerService
from storage.services.deals import DealService, NewDeal
from storage.services.lookup import DealRef
from storage.services.stages import StageService
from storage.services.users import UserService

_AMOUNT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万|w|k|m)?\s*$", re.I)
_SCALE = {"万": 10_000, "w": 10_000, "k": 1_000, "m": 1_000_000}


def parse_amount(text: str) -> Decimal | None:
    found = _AMOUNT.match(text)
    if not found:
        raise ValueError(f"amount {text!r}")
    try:
        amount = Decimal(found.group(1).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"amount {text!r}") from exc
    unit = (found.group(2) or "").lower()
    return amount * _SCALE[unit] if unit else amount


def parse_due(text: str, tz: str) -> datetime:
    when = datetime.fromisoformat(text.strip().replace("/", "-"))
    if len(text.strip()) <= 10:
        when = datetime.combine(when.date(), time(9, 0))
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz))


class DealImport:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.owners = Owners(ctx)
        self.pipeline = Pipeline(ctx.pipeline)

    async def run(self, rows: Sequence[Row], *, dry_run: bool) -> ImportReport:
        report = ImportReport("deals", dry_run)
        for row in rows:
            try:
                report.rows.append(await self.one(row))
            except ValueError as exc:
                report.rows.append(Outcome(row.number, row.get("name"), "invalid", note=f"cannot read {exc}"))
        self.ctx.audit("import.deals", "deal", None, after={"counts": report.counts(), "dry_run": dry_run})
        return report

    async def one(self, row: Row) -> Outcome:
        name, login = row.get("name"), row.get("owner")
        if not name or not login:
            return Outcome(row.number, name, "invalid", note="customer and owner are required")
        if await self.owners.get(login) is None:
            return Outcome(row.number, name, "invalid", note=f"no user {login}")
        stage = self.pipeline.find(row.get("stage")) if row.get("stage") else self.pipeline.stages[0].key
        if stage is None:
            return Outcome(row.number, name, "invalid", note=f"no stage {row.get('stage')}")
        owner = await UserService(self.ctx).by_login(login)
        ctx = replace(self.ctx, actor=Actor(owner, self.ctx.actor.platform))
        contact = contact_of(row)
        found = await CustomerService(ctx).lookup(name, contact)
        if found.kind in ("possible", "ambiguous"):
            return await possible(ctx, row, name, found)
        amount = parse_amount(row.get("amount")) if row.get("amount") else None
        money = Money(amount, (row.get("currency") or "CNY").upper()) if amount is not None else None
        due = parse_due(row.get("next_followup"), owner.tz) if row.get("next_followup") else None
        note = row.get("note") or None
        result = await DealService(ctx).create(NewDeal(
            customer=name, money=money, amount_text=row.get("amount") or None, contact=contact,
            next_at=due if stage not in (WON, LOST) else None, note=note, raw_text=f"import row {row.number}"))
        if result.collision is not None:
            c = result.collision
            return Outcome(row.number, name, "collision", c.customer_id, c.customer, c.owner_login,
                           "another rep's protected customer: not created")
        assert result.deal is not None
        deal = result.deal
        if stage != deal.stage:
            await self._move(ctx, deal.id, stage, money, note)
        status = "new" if result.customer_created else "same"
        customer = None if result.customer_created else deal.customer
        return Outcome(row.number, name, status, deal.customer_id, customer, login, deal_id=deal.id)

    @staticmethod
    async def _move(ctx: ServiceContext, deal_id: int, stage: str, money: Money | None, note: str | None) -> None:
        stages, ref = StageService(ctx), DealRef(deal_id)
        try:
            if stage == WON:
                await stages.won(ref, money)
            elif stage == LOST:
                await stages.lost(ref, note or "imported")
            else:
                await stages.move(ref, stage)
        except DomainError as exc:
            raise ValueError(f"stage ({exc.code})") from exc
