"""The database face of `storage.matching`: customer_keys rows written from `index_keys`, and `find`
answering exactly like `Book.find` from a bounded candidate set loaded in a few indexed queries.

Phones are never stored in plain text: a phone key is `cipher.lookup_hash("phone", e164)`, the same
digest as `contacts.phone_hash`, and a query's phone is hashed the same way before the lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select

from storage.hot import fetch_sql, hot_insert
from storage.matching import CustomerRecord, Key, MatchResult, NotSamePairs, compact, index_keys
from storage.matching.anatomy import parse
from storage.matching.book import NOTHING, answer, asked_texts, early_answer, exact_answer, names_one_exactly
from storage.matching.emails import email_domain, is_webmail
from storage.matching.keys import prepared_keys
from storage.matching.phones import canonical_phone
from storage.matching.profile import profile
from storage.matching.query import Query, prepare
from storage.matching.stored_profile import encode as encode_profile
from storage.models import Contact, Customer, CustomerAlias, CustomerKey, NotSamePair
from storage.services import match_sql
from storage.services.base import ServiceContext

KEY_LENGTH = 200  # customer_keys.key is VARCHAR(200); both sides cut the same way
CONTACT_KINDS = ("phone", "email_domain")
_INSERT_KEYS = hot_insert(cast(Table, CustomerKey.__table__), ("customer_id", "kind", "key"))


@dataclass(frozen=True, slots=True)
class Hit:
    """One customer an answer points at."""

    customer_id: int
    match: str  # same | possible
    score: float
    matched_by: str  # name | phone | email | id
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    """The matcher's answer with database ids: kind same | possible | ambiguous | none."""

    kind: str
    hits: tuple[Hit, ...] = ()

    @property
    def sames(self) -> list[Hit]:
        return [h for h in self.hits if h.match == "same"] if self.kind == "same" else []


def name_keys(names: Sequence[str], city: str | None = None) -> set[Key]:
    """The name keys a customer known by `names` (registered name first, then aliases) is stored under."""
    record = CustomerRecord("_", names[0], tuple(names[1:]), city)
    return {k for k in index_keys(record) if k[0] not in CONTACT_KINDS}


def stored_profile(names: Sequence[str], city: str | None = None) -> str:
    """What `customers.match_profile` holds for a customer known by `names` (registered name first) in `city`."""
    return encode_profile(profile(CustomerRecord("_", names[0], tuple(names[1:]), city)))


def contact_domain(email: str | None) -> str | None:
    """A company's e-mail domain from a contact address; public webmail says nothing about the company."""
    domain = email_domain(email) if email else None
    return domain if domain and not is_webmail(domain) else None


def query_is_contact(query: str) -> bool:
    q = prepare(query)
    return q.phone is not None or q.is_address


def hits_of(result: MatchResult) -> Lookup:
    by = {"phone": "phone", "email": "email"}
    return Lookup(result.kind, tuple(
        Hit(int(c.record_id), c.match, c.score, by.get(c.reason, "name"), c.reason) for c in result.candidates
    ))


def _exact(typed: str, stored_under_name: list[CustomerRecord]) -> Lookup | None:
    """The customers (stored under the query's name key) whose name or an alias is exactly what was typed."""
    exact = sorted(int(r.id) for r in stored_under_name if typed in {compact(n) for n in (r.name, *r.aliases)})
    if not typed or not exact:
        return None
    return Lookup("same" if len(exact) == 1 else "ambiguous",
                  tuple(Hit(i, "same", 1.0, "name", "exact") for i in exact))


class CustomerMatcher:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def stored(self, key: Key) -> Key:
        kind, value = key
        if kind == "phone":
            return kind, self.ctx.cipher.lookup_hash("phone", value)
        return kind, value[:KEY_LENGTH]

    def phone_key(self, e164: str) -> Key:
        return self.stored(("phone", canonical_phone(e164) or e164))

    # ---- writing keys -------------------------------------------------------------------------
    @property
    def _written(self) -> dict[int, set[Key]]:
        """Every key row of the customers created in this unit of work (shared by all matchers of the
        session), so writing more keys for them needs no SELECT of what is there."""
        written: dict[int, set[Key]] = self.ctx.session.info.setdefault("dealbot.customer_keys", {})
        return written

    async def index_new(self, customer_id: int, names: Sequence[str], city: str | None) -> None:
        """The name keys of a customer created in this unit of work (it has no keys yet)."""
        wanted = {self.stored(k) for k in name_keys(names, city)}
        self._written[customer_id] = set()
        await self._sync(customer_id, wanted, None)

    async def index_names(self, customer_id: int) -> None:
        """Rewrite the name keys and the stored profile of one customer from its name, aliases and city (after
        any change)."""
        customer = await self.ctx.session.get(Customer, customer_id)
        if customer is None:
            return
        aliases = list(await self.ctx.session.scalars(
            select(CustomerAlias.alias).where(CustomerAlias.customer_id == customer_id).order_by(CustomerAlias.id)))
        wanted = {self.stored(k) for k in name_keys([customer.name, *aliases], customer.city)}
        customer.match_profile = stored_profile([customer.name, *aliases], customer.city)  # flushed by _sync
        await self._sync(customer_id, wanted, lambda kind: kind not in CONTACT_KINDS)

    async def index_contacts(self, customer_id: int) -> None:
        """Rewrite the phone and e-mail-domain keys from the customer's live contacts (decrypted here only)."""
        cipher = self.ctx.cipher
        rows = (await self.ctx.session.execute(
            select(Contact.phone_enc, Contact.email_enc)
            .where(Contact.customer_id == customer_id, Contact.erased_at.is_(None)))).all()
        wanted: set[Key] = set()
        for phone_enc, email_enc in rows:
            if phone_enc is not None:
                wanted.add(self.phone_key(cipher.decrypt(phone_enc)))
            domain = contact_domain(cipher.decrypt(email_enc)) if email_enc is not None else None
            if domain:
                wanted.add(self.stored(("email_domain", domain)))
        await self._sync(customer_id, wanted, lambda kind: kind in CONTACT_KINDS)

    async def add_contact_keys(self, customer_id: int, phone_e164: str | None, email: str | None) -> None:
        wanted: set[Key] = set()
        if phone_e164:
            wanted.add(self.phone_key(phone_e164))
        domain = contact_domain(email)
        if domain:
            wanted.add(self.stored(("email_domain", domain)))
        if wanted:
            await self._sync(customer_id, wanted, None)

    async def drop_keys(self, customer_id: int) -> None:
        await self.ctx.session.execute(delete(CustomerKey).where(CustomerKey.customer_id == customer_id))
        self._written.pop(customer_id, None)

    async def _sync(self, customer_id: int, wanted: set[Key], owned: object) -> None:
        """Insert missing keys; delete stale ones of the kinds `owned` selects (None: only insert)."""
        session = self.ctx.session
        written = self._written.get(customer_id)
        if written is not None:  # created in this unit of work: every key row is known
            have = set(written)
            stale_keys = [key for key in have if callable(owned) and owned(key[0]) and key not in wanted]
            if stale_keys:
                for kind, key in stale_keys:
                    await session.execute(delete(CustomerKey).where(
                        CustomerKey.customer_id == customer_id, CustomerKey.kind == kind, CustomerKey.key == key))
                written.difference_update(stale_keys)
        else:
            rows = (await session.execute(
                select(CustomerKey.id, CustomerKey.kind, CustomerKey.key).where(CustomerKey.customer_id == customer_id)
            )).all()
            ids = {(kind, key): row_id for row_id, kind, key in rows}
            have = set(ids)
            if callable(owned):
                stale = [row_id for key, row_id in ids.items() if owned(key[0]) and key not in wanted]
                if stale:
                    await session.execute(delete(CustomerKey).where(CustomerKey.id.in_(stale)))
        missing = sorted(wanted - have)
        if missing:  # one executemany, no RETURNING: nothing needs the new rows' ids
            await _INSERT_KEYS.run_many(session, [
                {"customer_id": customer_id, "kind": kind, "key": key} for kind, key in missing])
            if written is not None:
                written.update(missing)
        await session.flush()

    # ---- finding ------------------------------------------------------------------------------
    async def find(self, query: str) -> MatchResult:
        """The same answer `Book.find` gives for the same records (record ids are str(customer id))."""
        return (await self._find(prepare(query)))[0]

    async def _find(self, q: Query) -> tuple[MatchResult, list[CustomerRecord] | None]:
        """The answer, and when the probe is known to have returned every customer stored under the
        query's exact name key, those customers (else None)."""
        early = early_answer(q)
        if early is not None:
            return early, None
        core = q.main.core[:KEY_LENGTH] if q.main is not None else ""
        not_same = sorted({compact(text)[:KEY_LENGTH] for text in asked_texts(q)})
        if core and names_one_exactly(q):
            # A full name: the customers stored under exactly that name (its one variant is not generic,
            # or `early_answer` had answered, so its name key is among its keys) usually settle it in one
            # indexed probe, without making (pinyin: ~0.4 ms) or ranking every key it shares with others.
            st = self._statement()
            sql = match_sql.records_query(st, match_sql.named(st, ("name", core)), not_same, None, False)
            named = match_sql.assemble(await self._fetch(st, sql))
            if named.probed < match_sql.NAMED_LIMIT:  # every holder of the key was read
                settled = exact_answer(q, named.records, NotSamePairs(named.pairs))
                if settled is not None:
                    return settled, None
        keys = [self.stored(k) for k in prepared_keys(q)]
        name_key = core if core and ("name", core) in keys else None
        st = self._statement()
        ids = match_sql.candidates(st, keys)
        if ids is None:
            return NOTHING, None
        digest = self.phone_key(q.phone)[1] if q.phone is not None else None
        sql = match_sql.records_query(st, ids, not_same, digest, q.domain is not None, name_key)
        found = match_sql.assemble(await self._fetch(st, sql), q.phone)
        result = answer(q, found.records, found.records, NotSamePairs(found.pairs)) if found.records else NOTHING
        precise = sum(kind not in match_sql.BROAD_KINDS for kind, _ in keys)
        # Fewer candidates than the ranked part keeps, and too few key rows to reach its row cap: no
        # holder of the name key was left out, so the fallback below needs no query of its own.
        complete = (name_key is not None and found.probed < match_sql.PRECISE_LIMIT
                    and found.probed * precise < match_sql.PRECISE_ROWS)
        return result, [found.records[str(cid)] for cid in sorted(found.named)] if complete else None

    async def lookup(self, query: str) -> Lookup:
        """`find` with database ids; a name the rules call generic (甲公司, a one-character trade name)
        still finds a customer registered under exactly that name."""
        q = prepare(query)
        result, named = await self._find(q)
        found = hits_of(result)
        if found.hits or q.phone is not None or q.is_address:
            return found
        if named is not None:  # the probe already read every customer stored under that exact name
            return _exact(compact(query), named) or found
        return await self._exact_name(query) or found

    async def _exact_name(self, query: str) -> Lookup | None:
        typed, core = compact(query), parse(query).core
        if not typed or not core:
            return None
        st = self._statement()
        ids = match_sql.named(st, ("name", core[:KEY_LENGTH]))
        rows = await self._fetch(st, match_sql.records_query(st, ids, [], None, False))
        return _exact(typed, list(match_sql.assemble(rows).records.values()))

    def _statement(self) -> match_sql.Statement:
        return match_sql.Statement("numeric_dollar" if self.ctx.uow.dialect == "postgresql" else "qmark")

    async def _fetch(self, st: match_sql.Statement, sql: str) -> list[Sequence[Any]]:
        """One lookup statement on the session's connection (inside its transaction), straight through the
        driver (storage.hot.fetch_sql): SQLAlchemy's result set-up cost ~0.3 ms a statement. Rows are plain
        driver values."""
        return await fetch_sql(self.ctx.session, sql, st.params)

    async def remember_not_same(self, query: str, customer_id: int) -> bool:
        """Record "不是同一家": this typed name is never proposed as that customer again."""
        key = compact(query)[:KEY_LENGTH]
        exists = await self.ctx.session.scalar(select(NotSamePair.id).where(
            NotSamePair.query_key == key, NotSamePair.customer_id == customer_id))
        if exists is not None:
            return False
        user = self.ctx.actor.user
        self.ctx.session.add(NotSamePair(query_key=key, customer_id=customer_id,
                                         decided_by=user.id if user else None, decided_at=self.ctx.now()))
        await self.ctx.session.flush()
        return True
