"""One round trip per lookup: the candidate ids (precise keys and broad keys capped apart) joined with
each candidate's name, city, stored profile, owner, aliases, remembered "not the same" answers, and whether
it has the phone asked for (a phone query) or its e-mail domains (an e-mail query)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.matching import CustomerRecord, Key

PRECISE_LIMIT = 40  # candidates judged per query (those sharing the most keys): bounded, whatever the book's size
PRECISE_ROWS = 2000  # key rows counted to rank them: bounds the work for keys thousands of customers share
BROAD_LIMIT = 40  # prefix/word keys (2-character short names, one English word) can match thousands
BROAD_KINDS = ("prefix", "word")
NAMED_LIMIT = 150  # customers stored under one exact name, for the fallback of generic names


class Statement:
    """Plain SQL with positional parameters in the driver's style (qmark for sqlite, $n for asyncpg):
    a lookup runs thousands of times a second, so it skips SQLAlchemy's statement building."""

    def __init__(self, paramstyle: str) -> None:
        self.dollar = paramstyle == "numeric_dollar"
        self.params: list[Any] = []

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.dollar else "?"

    def binds(self, values: Iterable[Any]) -> str:
        return ", ".join(self.bind(v) for v in values)


def _where(st: Statement, groups: dict[str, set[str]]) -> str:
    return " OR ".join(f"(kind = {st.bind(kind)} AND key IN ({st.binds(sorted(values))}))"
                       for kind, values in sorted(groups.items()))


def _matching(st: Statement, groups: dict[str, set[str]], limit: int) -> str:
    return f"SELECT customer_id AS cid FROM customer_keys WHERE {_where(st, groups)} LIMIT {int(limit)}"


def _ranked(st: Statement, groups: dict[str, set[str]], limit: int) -> str:
    """The customers sharing the most of these keys, each key weighted by how rare it is (1 / the
    customers holding it), then the lowest ids: a customer that is the query shares its name, trade,
    sound or a rare wildcard key; fillers share one generic key each (a joint-venture half, a common
    wildcard)."""
    rows = (f"SELECT customer_id AS cid, kind, key FROM customer_keys WHERE {_where(st, groups)} "
            f"LIMIT {PRECISE_ROWS}")
    weighted = f"SELECT cid, count(*) OVER (PARTITION BY kind, key) AS holders FROM ({rows}) AS shared"
    return (f"SELECT cid FROM ({weighted}) AS weighted GROUP BY cid "
            f"ORDER BY sum(1.0 / holders) DESC, cid LIMIT {int(limit)}")


def named(st: Statement, key: Key) -> str:
    """SQL selecting `cid` of the customers stored under one key (up to NAMED_LIMIT)."""
    return f"SELECT cid FROM ({_matching(st, {key[0]: {key[1]}}, NAMED_LIMIT)}) AS part0"


def candidates(st: Statement, stored_keys: Iterable[Key]) -> str | None:
    """SQL selecting `cid` of every customer sharing a key: the PRECISE_LIMIT sharing the most precise
    keys, and up to BROAD_LIMIT more by broad ones (each side in its own subquery, so neither starves
    the other)."""
    precise: dict[str, set[str]] = {}
    broad: dict[str, set[str]] = {}
    for kind, value in stored_keys:
        (broad if kind in BROAD_KINDS else precise).setdefault(kind, set()).add(value)
    parts = []
    if precise:
        parts.append(_ranked(st, precise, PRECISE_LIMIT))
    if broad:
        parts.append(_matching(st, broad, BROAD_LIMIT))
    if not parts:
        return None
    return " UNION ".join(f"SELECT cid FROM ({part}) AS part{i}" for i, part in enumerate(parts))


def records_query(st: Statement, ids: str, not_same_keys: Sequence[str], phone_hash: str | None,
                  domains: bool, name_key: str | None = None) -> str:
    """The candidates' rows. The first column is every candidate id, deleted customers included (the
    rest of their row is NULL), so the caller knows how many the key probe returned; with `name_key`,
    the last column says which candidates are stored under that exact name key (the unique (customer,
    kind, key) row: never more than one)."""
    # qmark parameters bind in textual order: the not-same keys come before the phone's join
    not_same = f"ns.query_key IN ({st.binds(not_same_keys)})" if not_same_keys else "1 = 0"
    extra, joins = "NULL", ""
    if phone_hash is not None:
        extra = "ct.id"  # a live contact whose phone hashes like the query's: that phone (nothing decrypted)
        joins = (" LEFT JOIN contacts ct ON ct.customer_id = cu.id AND ct.phone_hash = "
                 f"{st.bind(phone_hash)} AND ct.erased_at IS NULL")
    elif domains:
        extra = "ek.key"
        joins = " LEFT JOIN customer_keys ek ON ek.customer_id = cu.id AND ek.kind = 'email_domain'"
    named = "NULL"
    if name_key is not None:
        named = "nk.customer_id"
        joins += (" LEFT JOIN customer_keys nk ON nk.customer_id = cu.id AND nk.kind = 'name' "
                  f"AND nk.key = {st.bind(name_key)}")
    return (
        f"SELECT c.cid, cu.id, cu.name, cu.city, cu.match_profile, u.login, a.id, a.alias, ns.query_key, {extra}, "
        f"{named} "
        f"FROM ({ids}) AS c LEFT JOIN customers cu ON cu.id = c.cid AND cu.deleted_at IS NULL "
        "LEFT JOIN users u ON u.id = cu.owner_id "
        "LEFT JOIN customer_aliases a ON a.customer_id = cu.id "
        f"LEFT JOIN not_same_pairs ns ON ns.customer_id = cu.id AND {not_same}{joins} "
        "ORDER BY c.cid, a.id"
    )


@dataclass(slots=True)
class _Row:
    name: str
    city: str | None
    stored: str | None
    owner: str | None
    aliases: dict[str, None] = field(default_factory=dict)
    extra: dict[Any, None] = field(default_factory=dict)


@dataclass(slots=True)
class Assembled:
    records: dict[str, CustomerRecord]  # by str(id)
    pairs: list[tuple[str, str]]  # remembered "not the same" (query key, id)
    named: set[int]  # ids stored under the name key asked for (`records_query(name_key=...)`)
    probed: int  # candidate ids the key probe returned, deleted customers included


def assemble(rows: Iterable[Sequence[Any]], phone: str | None = None) -> Assembled:
    """Records keyed by str(id) and (query key, id) pairs. For a phone query (`phone`, canonical E.164), a
    record's phones are that phone when one of its live contacts' `phone_hash` equals the query's: equal
    keyed hashes are equal canonical numbers, so no contact is decrypted to be judged."""
    found: dict[int, _Row] = {}
    pairs: set[tuple[str, str]] = set()
    named: set[int] = set()
    probed: set[int] = set()
    for candidate, cid, name, city, stored, login, _alias_id, alias, not_same, extra, stored_under in rows:
        probed.add(candidate)
        if cid is None:  # a deleted customer
            continue
        row = found.setdefault(cid, _Row(name, city, stored, login))
        if stored_under is not None:
            named.add(cid)
        if alias is not None:
            row.aliases[alias] = None
        if extra is not None:
            row.extra[extra] = None
        if not_same is not None:
            pairs.add((not_same, str(cid)))
    records = {}
    for cid, row in found.items():
        phones = (phone,) if phone is not None and row.extra else ()
        records[str(cid)] = CustomerRecord(str(cid), row.name, tuple(row.aliases), row.city, phones=phones,
                                           email_domains=() if phone is not None else tuple(row.extra),
                                           owner=row.owner, stored=row.stored)
    return Assembled(records, sorted(pairs), named, len(probed))
