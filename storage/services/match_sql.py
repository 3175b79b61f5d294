"""One round trip per lookup: the candidate ids (precise keys and broad keys capped apart) joined with
each candidate's name, city, owner, aliases, remembered "not the same" answers, and the phones (for a
phone query, still encrypted) or e-mail domains (for an e-mail query) that judging needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.matching import CustomerRecord, Key

PRECISE_LIMIT = 150  # candidates judged per query: bounded, whatever the book's size
BROAD_LIMIT = 40  # prefix/word keys (2-character short names, one English word) can match thousands
BROAD_KINDS = ("prefix", "word")


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


def _matching(st: Statement, groups: dict[str, set[str]], limit: int) -> str:
    where = " OR ".join(f"(kind = {st.bind(kind)} AND key IN ({st.binds(sorted(values))}))"
                        for kind, values in sorted(groups.items()))
    return f"SELECT customer_id AS cid FROM customer_keys WHERE {where} LIMIT {int(limit)}"


def candidates(st: Statement, stored_keys: Iterable[Key]) -> str | None:
    """SQL selecting `cid` of every customer sharing a key: precise kinds up to PRECISE_LIMIT, broad ones
    up to BROAD_LIMIT more (each side in its own subquery, so neither starves the other)."""
    precise: dict[str, set[str]] = {}
    broad: dict[str, set[str]] = {}
    for kind, value in stored_keys:
        (broad if kind in BROAD_KINDS else precise).setdefault(kind, set()).add(value)
    parts = [_matching(st, g, limit) for g, limit in ((precise, PRECISE_LIMIT), (broad, BROAD_LIMIT)) if g]
    if not parts:
        return None
    return " UNION ".join(f"SELECT cid FROM ({part}) AS part{i}" for i, part in enumerate(parts))


def records_query(st: Statement, ids: str, not_same_keys: Sequence[str], phone_hash: str | None,
                  domains: bool) -> str:
    # qmark parameters bind in textual order: the not-same keys come before the phone's join
    not_same = f"ns.query_key IN ({st.binds(not_same_keys)})" if not_same_keys else "1 = 0"
    extra, joins = "NULL", ""
    if phone_hash is not None:
        extra = "ct.phone_enc"
        joins = (" LEFT JOIN contacts ct ON ct.customer_id = cu.id AND ct.phone_hash = "
                 f"{st.bind(phone_hash)} AND ct.erased_at IS NULL")
    elif domains:
        extra = "ek.key"
        joins = " LEFT JOIN customer_keys ek ON ek.customer_id = cu.id AND ek.kind = 'email_domain'"
    return (
        f"SELECT cu.id, cu.name, cu.city, u.login, a.id, a.alias, ns.query_key, {extra} "
        f"FROM ({ids}) AS c JOIN customers cu ON cu.id = c.cid "
        "LEFT JOIN users u ON u.id = cu.owner_id "
        "LEFT JOIN customer_aliases a ON a.customer_id = cu.id "
        f"LEFT JOIN not_same_pairs ns ON ns.customer_id = cu.id AND {not_same}{joins} "
        "WHERE cu.deleted_at IS NULL ORDER BY cu.id, a.id"
    )


@dataclass(slots=True)
class _Row:
    name: str
    city: str | None
    owner: str | None
    aliases: dict[str, None] = field(default_factory=dict)
    extra: dict[Any, None] = field(default_factory=dict)


def assemble(rows: Iterable[Sequence[Any]], decrypt: Any, phone: bool) -> tuple[dict[str, CustomerRecord],
                                                                                 list[tuple[str, str]]]:
    """Records keyed by str(id) (phones decrypted, only for a phone query) and (query key, id) pairs."""
    found: dict[int, _Row] = {}
    pairs: set[tuple[str, str]] = set()
    for cid, name, city, login, _alias_id, alias, not_same, extra in rows:
        row = found.setdefault(cid, _Row(name, city, login))
        if alias is not None:
            row.aliases[alias] = None
        if extra is not None:
            row.extra[extra] = None
        if not_same is not None:
            pairs.add((not_same, str(cid)))
    records = {}
    for cid, row in found.items():
        extras = tuple(decrypt(token) for token in row.extra) if phone else tuple(row.extra)
        records[str(cid)] = CustomerRecord(str(cid), row.name, tuple(row.aliases), row.city,
                                           phones=extras if phone else (), email_domains=() if phone else extras,
                                           owner=row.owner)
    return records, sorted(pairs)
