"""Judge one query against one customer record (R2–R9, R12–R14): same, possible or none, with a score.

The Book only calls this on candidates found through keys; it never scans the whole book.
"""

from __future__ import annotations

from storage.matching.anatomy import Anatomy
from storage.matching.emails import domain_matches, is_webmail
from storage.matching.lexicon import substantive
from storage.matching.profile import Form, Profile, profile
from storage.matching.query import Query, prepare
from storage.matching.records import NO_MATCH, CustomerRecord, Verdict
from storage.matching.regions import NATIONAL
from storage.matching.typos import en_typo, zh_typo

_RANK = {"same": 2, "possible": 1, "none": 0}


def rank(v: Verdict) -> tuple[int, int, float]:
    return _RANK[v.match], v.tier, v.score


def judge(query: str, candidate: CustomerRecord) -> Verdict:
    """How `query` (what a rep typed) relates to `candidate`."""
    return judge_prepared(prepare(query), profile(candidate))


def judge_prepared(q: Query, p: Profile) -> Verdict:
    if q.phone is not None or not (q.variants or q.domain):
        return Verdict("same", 1.0, "phone", 3) if q.phone in p.phones else NO_MATCH
    if q.domain is not None:
        if is_webmail(q.domain):
            return NO_MATCH
        if any(domain_matches(q.domain, d) for d in p.domains):
            return Verdict("same", 1.0, "email", 3)
        if q.is_address:
            return NO_MATCH
    best = NO_MATCH
    for variant in q.variants:
        if variant.generic:
            continue
        for form in p.forms:
            verdict = compare(variant, form, p)
            if q.domain is not None and verdict.tier < 3:
                continue  # R14: a bare domain matches a name only exactly (huaweii.com is no typo of Huawei)
            if rank(verdict) > rank(best):
                best = verdict
    return best


def _typo_score(q: Anatomy, f: Anatomy) -> float:
    from rapidfuzz.fuzz import ratio  # lazy: keeps `import storage.matching` light

    return round(0.65 + 0.2 * ratio(q.trade, f.trade) / 100, 3)


def _same(relation: str, exact_descriptors: bool, typo_score: float = 0.8) -> Verdict:
    if relation == "typo":
        return Verdict("same", typo_score, "typo", 1)
    if exact_descriptors:
        return Verdict("same", 0.95, "trade", 2)
    return Verdict("same", 0.85, "group", 1)


def _trade_relation(q: Anatomy, f: Anatomy, p: Profile) -> str | None:
    """equal / typo / prefix / word, or None. A bound region (宁德时代) is compared as part of the name."""
    if p.bound_region and p.bound_region != NATIONAL and f.script == "zh":
        if not q.regions or q.script != "zh":
            return None
        query_name, book_name = q.regions[0] + q.trade, p.bound_region + f.trade
        if query_name == book_name:
            return "equal"
        return "typo" if zh_typo(query_name, book_name) else None
    if q.trade == f.trade:
        return "equal"
    if q.script == "zh" and f.script == "zh":
        if zh_typo(q.trade, f.trade):
            return "typo"
        if q.bare and len(q.trade) == 2 and 3 <= len(f.trade) <= 5 and f.trade.startswith(q.trade):
            return "prefix"
        return None
    if en_typo(q.trade, f.trade):
        return "typo"
    if q.bare and len(q.words) == 1 and len(q.trade) >= 4 and len(f.words) > 1 and q.trade in f.words:
        return "word"
    return None


def _region_only(q: Anatomy, f: Anatomy) -> Verdict:
    """Names with no trade name (上海电气, 中国银行): region and descriptors are the identity (R4b)."""
    if q.trade or not q.regions or q.regions[0] != f.regions[0]:
        return NO_MATCH
    if q.descriptors[: len(f.descriptors)] != f.descriptors:
        return NO_MATCH
    return _same("equal", len(q.descriptors) == len(f.descriptors))


def compare(q: Anatomy, form: Form, p: Profile) -> Verdict:
    """One parsed query against one name of the record."""
    f = form.anatomy
    if form.abbreviation and (q.formal or q.regions):
        return NO_MATCH  # R8: 字节 matches casual queries only, not the formal 深圳市字节科技有限公司
    if q.bare and f.trade and p.bound_descriptors(f.trade) is not None and q.trade == f.trade:
        return Verdict("possible", 0.6, "short")  # R11: 长城 -> confirm 长城汽车; 中金 -> 中金公司
    if q.core == f.core and (not p.city or not q.region or q.region == p.city):
        return Verdict("same", 1.0, "exact", 3)
    if not f.trade:
        return _region_only(q, f) if f.regions else NO_MATCH
    relation = _trade_relation(q, f, p)
    if relation is None:
        return NO_MATCH
    if relation in ("prefix", "word"):
        return Verdict("possible", 0.5, "partial")
    if p.city and q.region and q.region != p.city:
        return NO_MATCH  # R5: a local name in another city is another company
    qs = substantive(q.descriptors)
    fs = substantive(f.descriptors)
    if p.city:
        if qs and fs and not (qs <= fs or fs <= qs):
            return Verdict("possible", 0.5, "other_industry")
        # R5: an entry with the typed descriptor outranks one whose descriptor is unknown (科技)
        return _same(relation, not qs or bool(fs), _typo_score(q, f))
    if q.formal and qs and f.trade == p.formal_trade and not qs >= p.formal_descriptors:
        return Verdict("possible", 0.55, "other_entity")  # R4c: 中微半导体(深圳) is not 中微半导体设备
    bound = p.bound_descriptors(f.trade)
    if bound is not None:
        if q.bare or not (qs or any(not s for s in bound)):
            return Verdict("possible", 0.6, "short")  # R11: 长城 -> confirm 长城汽车
        if any(qs >= s for s in bound):
            return _same(relation, qs in bound, _typo_score(q, f))
        return Verdict("possible", 0.55, "shared_name")  # R12: 格力地产 vs 格力电器
    return _same(relation, not qs or qs == fs, _typo_score(q, f) if relation == "typo" else 0.8)
