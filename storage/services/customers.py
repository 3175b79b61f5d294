"""Customers: create with contacts and match keys, add aliases and contacts (reindexed at once), load,
and find which customer a typed name, phone or e-mail is (through `CustomerMatcher`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm.util import identity_key

from storage.hot import HotStatement
from storage.models import Contact, Customer, CustomerAlias
from storage.services.base import ServiceContext
from storage.services.matcher import CustomerMatcher, Hit, Lookup, stored_profile
from storage.services.rows import insert_persistent


@dataclass(frozen=True, slots=True)
class ContactInput:
    name: str | None = None
    phone_e164: str | None = None
    email: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone_e164 or self.email)


_customers = cast(Table, Customer.__table__)
_TOUCH_ANY = (update(_customers).where(_customers.c.id == bindparam("cid"))
              .values(last_activity_at=bindparam("now")))
_TOUCH = HotStatement(_TOUCH_ANY)
_TOUCH_LIVE = HotStatement(_TOUCH_ANY.where(_customers.c.deleted_at.is_(None)))
_CUSTOMER = select(Customer).where(Customer.id == bindparam("id"), Customer.deleted_at.is_(None))
_CUSTOMER_LOCKED = _CUSTOMER.with_for_update()


async def touch_customer(ctx: ServiceContext, customer_id: int, *, live_only: bool) -> None:
    """Activity on a customer's deal keeps the owner's protection alive: `last_activity_at = now`.

    A customer already loaded in this session is changed on the object (flushed with the rest);
    otherwise one prebuilt UPDATE, with no read first and no statement built per call."""
    now = ctx.now()
    loaded = ctx.session.identity_map.get(identity_key(Customer, customer_id))
    if isinstance(loaded, Customer):
        if not (live_only and loaded.deleted_at is not None):
            loaded.last_activity_at = now
        return
    await (_TOUCH_LIVE if live_only else _TOUCH).run(ctx.session, {"cid": customer_id, "now": now})


def _unique(hits: Sequence[Hit]) -> tuple[Hit, ...]:
    seen: dict[int, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.customer_id, hit)
    return tuple(seen.values())


class CustomerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.matcher = CustomerMatcher(ctx)

    async def create(
        self, name: str, team_id: int, owner_id: int | None, *, city: str | None = None,
        aliases: Sequence[str] = (), contact: ContactInput | None = None,
    ) -> Customer:
        """A new customer, found by the matcher as soon as this returns (keys flushed)."""
        now = self.ctx.now()
        known = [alias for alias in dict.fromkeys(a.strip() for a in aliases) if alias and alias != name]
        customer = Customer(
            name=name, city=city, team_id=team_id, owner_id=owner_id, owner_since=now if owner_id else None,
            last_activity_at=now, created_by=self.ctx.actor.user.id if self.ctx.actor.user else None,
            created_at=now, match_profile=stored_profile([name, *known], city),
        )
        await insert_persistent(self.ctx, customer)
        if known:
            self.ctx.session.add_all(CustomerAlias(customer_id=customer.id, alias=alias) for alias in known)
            await self.ctx.session.flush()
        await self.matcher.index_new(customer.id, [name, *known], city)
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
        await insert_persistent(self.ctx, row)
        await self.matcher.add_contact_keys(customer_id, contact.phone_e164, contact.email)
        return row

    async def has_contact(self, customer_id: int, contact: ContactInput) -> bool:
        """The same phone or e-mail is already on file (imports do not add it twice)."""
        cipher, checks = self.ctx.cipher, []
        if contact.phone_e164:
            checks.append(Contact.phone_hash == cipher.lookup_hash("phone", contact.phone_e164))
        if contact.email:
            checks.append(Contact.email_hash == cipher.lookup_hash("email", contact.email.casefold()))
        for check in checks:
            found = await self.ctx.session.scalar(select(Contact.id).where(
                Contact.customer_id == customer_id, Contact.erased_at.is_(None), check).limit(1))
            if found is not None:
                return True
        return False

    async def aliases(self, customer_id: int) -> list[str]:
        return list(await self.ctx.session.scalars(
            select(CustomerAlias.alias).where(CustomerAlias.customer_id == customer_id).order_by(CustomerAlias.id)))

    async def add_aliases(self, customer_id: int, aliases: Sequence[str]) -> list[str]:
        """Names the customer is also known by (a confirmed match, an import); reindexed once. Returns the new ones."""
        customer = await self.get(customer_id)
        if customer is None:
            return []
        known = {customer.name, *await self.aliases(customer_id)}
        added = [a for a in dict.fromkeys(a.strip() for a in aliases) if a and a not in known]
        if added:
            self.ctx.session.add_all(CustomerAlias(customer_id=customer_id, alias=a) for a in added)
            await self.ctx.session.flush()
            await self.matcher.index_names(customer_id)
        return added

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None:
        query = _CUSTOMER_LOCKED if for_update and self.ctx.for_update else _CUSTOMER
        return await self.ctx.session.scalar(query, {"id": customer_id})

    async def lookup(self, name: str | None, contact: ContactInput | None = None) -> Lookup:
        """The matcher's answer for a typed name, with a phone or e-mail that identifies a customer first."""
        by_contact: list[Hit] = []
        for text in (contact.phone_e164, contact.email) if contact else ():
            if text:
                by_contact += (await self.matcher.lookup(text)).sames
        named = await self.matcher.lookup(name) if name else Lookup("none")
        if by_contact:
            return Lookup("same", _unique(by_contact + named.sames))
        return named

    async def find(self, name: str | None, contact: ContactInput | None = None) -> list[Hit]:
        """The customers the name, phone or e-mail is the same as (never a mere possible match)."""
        return (await self.lookup(name, contact)).sames
