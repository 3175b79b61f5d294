"""What the book itself says about a record's identity: its parsed names, casual-only abbreviations,
a region that belongs to the name (R4b), trade names the book only uses with a descriptor (R11/R12).
"""

from __future__ import annotations

from functools import lru_cache

from storage.matching.anatomy import Anatomy, parse
from storage.matching.emails import email_domain
from storage.matching.lexicon import substantive
from storage.matching.phones import canonical_phone
from storage.matching.records import CustomerRecord, Form, Profile
from storage.matching.regions import canonical_region
from storage.matching.stored_profile import decode

__all__ = ["Form", "Profile", "profile", "profile_of"]


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def _main(forms: list[Form]) -> Anatomy:
    aliases = [f.anatomy for f in forms if not f.formal and not f.anatomy.generic]
    for anatomy in aliases:
        if anatomy.script == "zh":
            return anatomy
    return aliases[0] if aliases else forms[0].anatomy


def _mark_abbreviations(forms: list[Form]) -> list[Form]:
    """字节 for 字节跳动, 上汽 for 上海汽车: shorter aliases spelled with the main name's characters."""
    main = _main(forms)
    formal = forms[0].anatomy
    marked = []
    for form in forms:
        a = form.anatomy
        is_abbreviation = (
            not form.formal
            and a.script == "zh"
            and a.bare
            and a.trade not in (main.trade, formal.trade)
            and any(len(a.trade) < len(full) and _is_subsequence(a.trade, full) for full in (main.core, formal.core))
        )
        marked.append(Form(a, form.formal, is_abbreviation))
    return marked


def _bound_region(forms: list[Form]) -> str | None:
    """中国平安, 宁德时代, 云南白药: an alias keeps the region and no alias drops it."""
    aliases = [f.anatomy for f in forms if not f.formal and f.anatomy.script == "zh" and f.anatomy.trade]
    for a in aliases:
        if a.regions and not any(b.trade == a.trade and not b.regions for b in aliases):
            return a.regions[0]
    return None


def _bound_trades(forms: list[Form], has_aliases: bool) -> tuple[tuple[str, tuple[frozenset[str], ...]], ...]:
    """Trade names that never appear bare in the book (长城汽车, 格力电器, 中金公司, HPE)."""
    if not has_aliases:
        return ()
    by_trade: dict[str, list[Form]] = {}
    for form in forms:
        if form.anatomy.trade:
            by_trade.setdefault(form.anatomy.trade, []).append(form)
    bound = []
    for trade, group in by_trade.items():
        aliases = [f for f in group if not f.formal]
        if aliases:
            qualified = all(substantive(f.anatomy.descriptors) or f.anatomy.qualified for f in aliases)
            sets = [substantive(f.anatomy.descriptors) for f in aliases]
        else:  # only the registered name uses this trade name: bound to its business line (General Motors)
            sets = [substantive(group[0].anatomy.descriptors)]
            qualified = bool(sets[0])
        if qualified:
            bound.append((trade, tuple(dict.fromkeys(sets))))
    return tuple(bound)


def _contacts(record: CustomerRecord) -> tuple[frozenset[str], tuple[str, ...]]:
    phones = frozenset(p for p in (canonical_phone(raw) for raw in record.phones) if p)
    return phones, tuple(d for d in (email_domain(raw) for raw in record.email_domains) if d)


@lru_cache(maxsize=8192)
def profile(record: CustomerRecord) -> Profile:
    """The record's profile, parsed (cached: the in-memory Book and key writing meet the same records often)."""
    return parse_profile(record, *_contacts(record))


def profile_of(record: CustomerRecord) -> Profile:
    """A candidate's profile for one lookup: decoded from the form the database keeps beside the customer
    (`record.stored`) when that was made from these very names and city by this very parser, else `profile`.
    Parsing is most of the cost of judging a candidate; decoding is ~25 µs. Decoded profiles are not
    cached across lookups: a cache that a million customers churn through filled the youngest garbage
    collector generation with 20,000–30,000 objects (each eviction frees an old object, which resets the
    collector's allocation count), and collecting it stalled a lookup for 20–50 ms."""
    if record.stored is not None:
        phones, domains = _contacts(record)
        if (stored := decode(record.stored, record, phones, domains)) is not None:
            return stored
    return profile(record)


def parse_profile(
    record: CustomerRecord, phones: frozenset[str] = frozenset(), domains: tuple[str, ...] = ()
) -> Profile:
    """The profile from the record's names and city (its phones and e-mail domains given, canonical)."""
    names = [Form(parse(record.name), True)] + [Form(parse(alias), False) for alias in record.aliases]
    forms = _mark_abbreviations(names)
    formal = forms[0].anatomy
    city = canonical_region(record.city) if record.city else None
    return Profile(
        record=record,
        forms=tuple(forms),
        city=city or (record.city.casefold() if record.city else None),
        bound_region=_bound_region(forms),
        bound=_bound_trades(forms, bool(record.aliases)),
        formal_trade=formal.trade,
        formal_descriptors=substantive(formal.descriptors),
        phones=phones,
        domains=domains,
    )
