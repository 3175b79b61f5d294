"""Customers: create with contacts and match keys, load, and find the one a new deal belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from storage.models import Contact, Customer
from storage.services.base import ServiceContext
from storage.services.matcher import CustomerMatcher, Hit


@dataclass(frozen=True, slots=True)
class ContactInput:
    name: str | None = None
    phone_e164: str | None = None
    email: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone_e164 or self.email)


class CustomerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.matcher = CustomerMatcher(ctx)

    async def create(
        self, name: str, team_id: int, owner_id: int | None, *, city: str | None = None,
        aliases: Sequence[str] = (), contact: ContactInput | None = None,
    ) -> Customer:
        now = self.ctx.now()
        customer = Customer(
            name=name, city=city, team_id=team_id, owner_id=owner_id, owner_since=now if owner_id else None,
            last_activity_at=now, created_by=self.ctx.actor.user.id if self.ctx.actor.user else None,
            created_at=now,
        )
        self.ctx.session.add(customer)
        await self.ctx.session.flush()
        await self.matcher.index(customer, aliases)
        if contact is not None and not contact.empty:
            await self.add_contact(customer.id, contact)
        return customer

    async def add_contact(self, customer_id: int, contact: ContactInput) -> Contact:
        cipher = self.ctx.cipher
        row = Contact(
            customer_id=customer_id,
            name=contact.name,
            phone_enc=cipher.encrypt(contact.phone_e164) if contact.phone_e164 else None,
            phone_hash=cipher.lookup_hash("phone", contact.phone_e164) if contact.phone_e164 else None,
            email_enc=cipher.encrypt(contact.email) if contact.email else None,
            email_hash=cipher.lookup_hash("email", contact.email.casefold()) if contact.email else None,
            created_at=self.ctx.now(),
        )
        self.ctx.session.add(row)
        await self.ctx.session.flush()
        return row

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None:
        query = select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None))
        if for_update and self.ctx.for_update:
            query = query.with_for_update()
        return await self.ctx.session.scalar(query)

    async def find(self, name: str | None, contact: ContactInput | None = None) -> list[Hit]:
        """Every customer the name, phone or e-mail points at; phone and e-mail hits first."""
        hits: list[Hit] = []
        if contact and contact.phone_e164:
            hits += await self.matcher.find_by_phone(contact.phone_e164)
        if contact and contact.email:
            hits += await self.matcher.find_by_email(contact.email)
        if name:
            hits += await self.matcher.find_by_name(name)
        seen: set[int] = set()
        unique = []
        for hit in hits:
            if hit.customer_id not in seen:
                seen.add(hit.customer_id)
                unique.append(hit)
        return unique
