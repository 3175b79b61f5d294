"""Finds customers by what a rep typed, through indexed keys: the database face of the matcher."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_

from storage.models import Contact, Customer, CustomerAlias, CustomerKey
from storage.services.base import ServiceContext

_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|控股|总公司|公司|"
    r"\b(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|gmbh|group|holdings)\b)"
)
_REGION = re.compile(r"^(?:中国|北京|上海|天津|重庆|深圳|广州|杭州|南京|苏州|成都|武汉|西安)(?:市)?")
_DESCRIPTOR = re.compile(r"(?:信息技术|信息科技|网络科技|网络技术|科技|技术|软件|电子|通信)$")
_PUNCT = re.compile(r"[\s\.\,'\-·()（）【】\[\]&]+")


def simple_key(name: str) -> str:
    """Width, case, brackets, legal form and a leading big-city region ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[(（【\[][^)）】\]]*[)）】\]]", "", text)
    text = _LEGAL.sub("", text)
    text = _PUNCT.sub("", text)
    stripped = _DESCRIPTOR.sub("", _REGION.sub("", text))
    return stripped or text


@dataclass(frozen=True, slots=True)
class Hit:
    customer_id: int
    match: str  # same | possible
    score: float
    matched_by: str  # name | phone | email


class CustomerMatcher:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def name_keys(self, names: Iterable[str]) -> set[tuple[str, str]]:
        return {("norm", key) for key in map(simple_key, names) if key}

    async def index(self, customer: Customer, aliases: Sequence[str] = ()) -> None:
        """Write the aliases and every match key of a new customer (flushed: found at once)."""
        for alias in dict.fromkeys(a for a in aliases if a and a != customer.name):
            self.ctx.session.add(CustomerAlias(customer_id=customer.id, alias=alias))
        for kind, key in self.name_keys([customer.name, *aliases]):
            self.ctx.session.add(CustomerKey(customer_id=customer.id, kind=kind, key=key[:200]))
        await self.ctx.session.flush()

    async def add_alias(self, customer_id: int, alias: str) -> None:
        session = self.ctx.session
        exists = await session.scalar(
            select(CustomerAlias.id).where(CustomerAlias.customer_id == customer_id, CustomerAlias.alias == alias)
        )
        if exists is None:
            session.add(CustomerAlias(customer_id=customer_id, alias=alias))
        known = set(await session.execute(
            select(CustomerKey.kind, CustomerKey.key).where(CustomerKey.customer_id == customer_id)
        ))
        for kind, key in self.name_keys([alias]) - known:
            session.add(CustomerKey(customer_id=customer_id, kind=kind, key=key[:200]))
        await session.flush()

    async def find_by_name(self, query: str) -> list[Hit]:
        keys = self.name_keys([query])
        if not keys:
            return []
        ids = await self.ctx.session.scalars(
            select(CustomerKey.customer_id)
            .join(Customer, Customer.id == CustomerKey.customer_id)
            .where(tuple_(CustomerKey.kind, CustomerKey.key).in_(list(keys)), Customer.deleted_at.is_(None))
            .distinct()
            .limit(20)
        )
        return [Hit(customer_id, "same", 1.0, "name") for customer_id in ids]

    async def find_by_phone(self, e164: str) -> list[Hit]:
        digest = self.ctx.cipher.lookup_hash("phone", e164)
        ids = await self.ctx.session.scalars(
            select(Contact.customer_id).where(Contact.phone_hash == digest, Contact.erased_at.is_(None)).distinct()
        )
        return [Hit(customer_id, "same", 1.0, "phone") for customer_id in ids]

    async def find_by_email(self, address: str) -> list[Hit]:
        digest = self.ctx.cipher.lookup_hash("email", address.casefold())
        ids = await self.ctx.session.scalars(
            select(Contact.customer_id).where(Contact.email_hash == digest, Contact.erased_at.is_(None)).distinct()
        )
        return [Hit(customer_id, "same", 1.0, "email") for customer_id in ids]
