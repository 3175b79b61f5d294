"""`dealbot import customers`: each row is matched against the book, which already holds the rows before
it, so a sheet that lists one company twice creates it once. New rows are created, same rows merged
(aliases and contacts added, the owner never silently changed), possible rows left for a human."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.errors import DomainError
from storage.importing.report import ImportReport, Outcome
from storage.importing.rows import Row
from storage.matching import canonical_phone
from storage.matching.emails import is_address
from storage.models import Customer, Team
from storage.services.base import ServiceContext
from storage.services.confirm import match_candidates
from storage.services.customers import ContactInput, CustomerService
from storage.services.matcher import Lookup
from storage.services.users import UserService


def contact_of(row: Row) -> ContactInput | None:
    phone = canonical_phone(row.get("phone")) if row.get("phone") else None
    email = row.get("email") if is_address(row.get("email")) else None
    contact = ContactInput(row.get("contact") or None, phone, email)
    return None if contact.empty else contact


def aliases_of(row: Row) -> list[str]:
    return [a.strip() for a in row.get("aliases").replace("；", ";").split(";") if a.strip()]


class Owners:
    """Owner logins of a file, resolved once each."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.users = UserService(ctx)
        self.known: dict[str, tuple[int, int] | None] = {}

    async def get(self, login: str) -> tuple[int, int] | None:
        """(user id, team id), or None when there is no such user."""
        if login not in self.known:
            try:
                user = await self.users.by_login(login)
                self.known[login] = (user.id, user.team_id)
            except DomainError:
                self.known[login] = None
        return self.known[login]


async def default_team(ctx: ServiceContext, name: str | None) -> int | None:
    query = select(Team.id).where(Team.name == name) if name else select(Team.id).order_by(Team.id).limit(1)
    return await ctx.session.scalar(query)


async def possible(ctx: ServiceContext, row: Row, name: str, found: Lookup) -> Outcome:
    listed = await match_candidates(ctx, found.hits)
    note = "too generic a name" if not listed else "confirm by hand"
    return Outcome(row.number, name, "possible", note=note,
                   candidates=tuple((c.customer_id, c.customer, c.owner_login) for c in listed))


class CustomerImport:
    def __init__(self, ctx: ServiceContext, team: str | None = None) -> None:
        self.ctx = ctx
        self.customers = CustomerService(ctx)
        self.owners = Owners(ctx)
        self.team = team

    async def run(self, rows: Sequence[Row], *, dry_run: bool) -> ImportReport:
        report = ImportReport("customers", dry_run)
        pool_team = await default_team(self.ctx, self.team)
        for row in rows:
            report.rows.append(await self.one(row, pool_team))
        self.ctx.audit("import.customers", "customer", None, after={"counts": report.counts(), "dry_run": dry_run})
        return report

    async def one(self, row: Row, pool_team: int | None) -> Outcome:
        name = row.get("name")
        if not name:
            return Outcome(row.number, name, "invalid", note="no name")
        owner = await self.owners.get(row.get("owner")) if row.get("owner") else None
        if row.get("owner") and owner is None:
            return Outcome(row.number, name, "invalid", note=f"no user {row.get('owner')}")
        contact = contact_of(row)
        found = await self.customers.lookup(name, contact)
        if found.kind == "same":
            return await self.merge(row, name, found.sames[0].customer_id, contact, owner)
        if found.kind in ("possible", "ambiguous"):  # a generic name (科技有限公司) is ambiguous with no candidates
            return await possible(self.ctx, row, name, found)
        team = owner[1] if owner else pool_team
        if team is None:
            return Outcome(row.number, name, "invalid", note="no team: add a user first or give --team")
        customer = await self.customers.create(name, team, owner[0] if owner else None, city=row.get("city") or None,
                                               aliases=aliases_of(row), contact=contact)
        self.ctx.audit("customer.import", "customer", customer.id, after={"row": row.number, "name": name})
        return Outcome(row.number, name, "new", customer.id, owner=row.get("owner") or None)

    async def merge(self, row: Row, name: str, customer_id: int, contact: ContactInput | None,
                    owner: tuple[int, int] | None) -> Outcome:
        customer = await self.ctx.session.get_one(Customer, customer_id)
        current = await self.owners.users.by_id(customer.owner_id) if customer.owner_id else None
        added = await self.customers.add_aliases(customer_id, [name, *aliases_of(row)])
        notes = [f"aliases added: {', '.join(added)}"] if added else []
        if contact is not None and not await self.customers.has_contact(customer_id, contact):
            await self.customers.add_contact(customer_id, contact)
            notes.append("contact added")
        if owner is not None and owner[0] != customer.owner_id:
            notes.append(f"owner kept: {current.login if current else 'pool'} (file says {row.get('owner')})")
        if notes:
            self.ctx.audit("customer.import_merge", "customer", customer_id, after={"row": row.number, "notes": notes})
        return Outcome(row.number, name, "same", customer_id, customer.name, current.login if current else None,
                       "; ".join(notes))
