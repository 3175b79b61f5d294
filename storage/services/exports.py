"""Exports of deals, customers and activities for the admin: flat rows, read in keyset pages of ids.

Values are exact and portable: amounts as decimal strings, times as ISO 8601 in UTC with the offset,
contacts decrypted. Soft-deleted rows (and activities of deleted deals) are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from storage.models import Activity, Contact, Customer, CustomerAlias, Deal, FollowUp, Team, User
from storage.services.base import ServiceContext
from storage.services.permissions import require_admin

Value = str | int | None
Row = dict[str, Value]
KINDS = ("deals", "customers", "activities")

DEAL_COLUMNS = ["id", "customer", "owner", "team", "stage", "amount", "currency", "created_at", "updated_at",
                "closed_at", "lost_reason", "next_followup_at", "last_activity_at"]
CUSTOMER_COLUMNS = ["id", "name", "city", "owner", "contact_names", "contact_phones", "contact_emails", "aliases"]
ACTIVITY_COLUMNS = ["id", "deal_id", "customer", "user", "kind", "note", "occurred_at"]
LIST_SEPARATOR = "; "


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def decimal_text(value: Decimal | None) -> str | None:
    """Exact, never in exponent form (Decimal('1E+6') would otherwise print as such)."""
    return f"{value:f}" if value is not None else None


class ExportService:
    """Everything the admin may see, one row per record; callers iterate, pages are fetched on demand."""

    def __init__(self, ctx: ServiceContext, batch_size: int = 1000) -> None:
        self.ctx = ctx
        self.batch_size = batch_size

    async def rows(self, kind: str) -> tuple[list[str], AsyncIterator[Row]]:
        if self.ctx.actor.user is not None:  # the command line (no user) is the server's admin
            require_admin(self.ctx.actor.user)
        if kind == "deals":
            return list(DEAL_COLUMNS), self._deals()
        if kind == "customers":
            return list(CUSTOMER_COLUMNS), self._customers()
        if kind == "activities":
            return list(ACTIVITY_COLUMNS), self._activities()
        raise ValueError(f"unknown export {kind!r}; one of {', '.join(KINDS)}")

    async def _pages(self, query: Select[*tuple[Any, ...]], id_column: Any,
                     last_id: Callable[[Any], int]) -> AsyncIterator[Sequence[Any]]:
        """Keyset pagination on the primary key: each page is one short query, memory stays flat."""
        after = 0
        while True:
            page = (await self.ctx.session.execute(
                query.where(id_column > after).order_by(id_column).limit(self.batch_size))).all()
            if not page:
                return
            yield page
            if len(page) < self.batch_size:
                return
            after = last_id(page[-1])

    async def _deals(self) -> AsyncIterator[Row]:
        query = (
            select(Deal.id, Customer.name, User.login, Team.name, Deal.stage, Deal.amount, Deal.currency,
                   Deal.created_at, Deal.updated_at, Deal.closed_at, Deal.lost_reason, Deal.last_activity_at)
            .join(Customer, Customer.id == Deal.customer_id)
            .join(User, User.id == Deal.owner_id)
            .join(Team, Team.id == Deal.team_id)
            .where(Deal.deleted_at.is_(None))
        )
        default_currency = self.ctx.pipeline.default_currency
        async for page in self._pages(query, Deal.id, lambda row: int(row[0])):
            due = await self._next_followups([row[0] for row in page])
            for (deal_id, customer, owner, team, stage, amount, currency, created_at, updated_at, closed_at,
                 lost_reason, last_activity_at) in page:
                yield {
                    "id": deal_id, "customer": customer, "owner": owner, "team": team, "stage": stage,
                    "amount": decimal_text(amount),
                    "currency": currency or (default_currency if amount is not None else None),
                    "created_at": iso(created_at), "updated_at": iso(updated_at), "closed_at": iso(closed_at),
                    "lost_reason": lost_reason, "next_followup_at": iso(due.get(deal_id)),
                    "last_activity_at": iso(last_activity_at),
                }

    async def _next_followups(self, deal_ids: list[int]) -> dict[int, datetime]:
        rows = await self.ctx.session.execute(
            select(FollowUp.deal_id, func.min(FollowUp.due_at))
            .where(FollowUp.deal_id.in_(deal_ids), FollowUp.status == "open")
            .group_by(FollowUp.deal_id)
        )
        return {deal_id: due for deal_id, due in rows}

    async def _customers(self) -> AsyncIterator[Row]:
        owner = aliased(User)
        query = (
            select(Customer.id, Customer.name, Customer.city, owner.login)
            .outerjoin(owner, owner.id == Customer.owner_id)
            .where(Customer.deleted_at.is_(None))
        )
        async for page in self._pages(query, Customer.id, lambda row: int(row[0])):
            ids = [row[0] for row in page]
            contacts = await self._contacts(ids)
            aliases = await self._aliases(ids)
            for customer_id, name, city, login in page:
                names, phones, emails = contacts.get(customer_id, ([], [], []))
                yield {
                    "id": customer_id, "name": name, "city": city, "owner": login or "",
                    "contact_names": LIST_SEPARATOR.join(names), "contact_phones": LIST_SEPARATOR.join(phones),
                    "contact_emails": LIST_SEPARATOR.join(emails),
                    "aliases": LIST_SEPARATOR.join(aliases.get(customer_id, [])),
                }

    async def _contacts(self, customer_ids: list[int]) -> dict[int, tuple[list[str], list[str], list[str]]]:
        rows = await self.ctx.session.execute(
            select(Contact.customer_id, Contact.name, Contact.phone_enc, Contact.email_enc)
            .where(Contact.customer_id.in_(customer_ids), Contact.erased_at.is_(None))
            .order_by(Contact.id)
        )
        found: dict[int, tuple[list[str], list[str], list[str]]] = defaultdict(lambda: ([], [], []))
        decrypt = self.ctx.cipher.decrypt
        for customer_id, name, phone_enc, email_enc in rows:
            names, phones, emails = found[customer_id]
            if name:
                names.append(name)
            if phone_enc:
                phones.append(decrypt(phone_enc))
            if email_enc:
                emails.append(decrypt(email_enc))
        return found

    async def _aliases(self, customer_ids: list[int]) -> dict[int, list[str]]:
        rows = await self.ctx.session.execute(
            select(CustomerAlias.customer_id, CustomerAlias.alias)
            .where(CustomerAlias.customer_id.in_(customer_ids))
            .order_by(CustomerAlias.id)
        )
        found: dict[int, list[str]] = defaultdict(list)
        for customer_id, alias in rows:
            found[customer_id].append(alias)
        return found

    async def _activities(self) -> AsyncIterator[Row]:
        query = (
            select(Activity.id, Activity.deal_id, Customer.name, User.login, Activity.kind, Activity.note,
                   Activity.occurred_at)
            .join(Deal, Deal.id == Activity.deal_id)
            .join(Customer, Customer.id == Deal.customer_id)
            .join(User, User.id == Activity.user_id)
            .where(Activity.deleted_at.is_(None), Deal.deleted_at.is_(None))
        )
        async for page in self._pages(query, Activity.id, lambda row: int(row[0])):
            for activity_id, deal_id, customer, login, kind, note, occurred_at in page:
                yield {"id": activity_id, "deal_id": deal_id, "customer": customer, "user": login, "kind": kind,
                       "note": note, "occurred_at": iso(occurred_at)}
