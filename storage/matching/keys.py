"""Lookup keys: `index_keys(record)` are the (kind, key) rows stored per customer, `query_keys(text)` the
rows to probe for what a rep typed. A candidate is any record sharing one key; `judge` decides.

Kinds: name (exact normalized name), trade (trade name / region-bound name), pinyin (homophone typos),
trade_sub (one character wildcarded: substitutions and truncation), prefix (2-character short names),
word (one English word of a multi-word name), en_del (English name and its one-letter deletions),
phone (E.164), email_domain.
"""

from __future__ import annotations

from storage.matching.anatomy import Anatomy
from storage.matching.emails import is_webmail, parents
from storage.matching.profile import Profile, profile
from storage.matching.query import Query, prepare
from storage.matching.records import CustomerRecord
from storage.matching.regions import NATIONAL
from storage.matching.typos import pinyin_key

Key = tuple[str, str]
KEY_KINDS = ("name", "trade", "pinyin", "trade_sub", "prefix", "word", "en_del", "phone", "email_domain")
WILDCARD = "?"


def _zh_typo_keys(name: str) -> set[Key]:
    if len(name) < 3:
        return set()
    keys = {("pinyin", pinyin_key(name))}
    keys.update(("trade_sub", name[:i] + WILDCARD + name[i + 1 :]) for i in range(len(name)))
    return keys


def _deletions(name: str) -> set[Key]:
    keys = {("en_del", name)}
    keys.update(("en_del", name[:i] + name[i + 1 :]) for i in range(len(name)))
    return keys


def _form_keys(a: Anatomy, p: Profile) -> set[Key]:
    keys: set[Key] = {("name", a.core)} if a.core else set()
    if not a.trade:
        return keys | ({("trade", a.identity)} if a.regions and a.descriptors else set())
    if a.script == "en":
        keys.add(("trade", a.trade))
        keys.update(_deletions(a.trade) if len(a.trade) >= 6 else set())
        keys.update(("word", w) for w in a.words if len(a.words) > 1 and len(w) >= 4)
        return keys
    local_bound = p.bound_region is not None and p.bound_region != NATIONAL
    name = p.bound_region + a.trade if local_bound and p.bound_region else a.trade
    keys.add(("trade", name))
    keys |= _zh_typo_keys(name)
    if not local_bound and 3 <= len(a.trade) <= 5:
        keys.add(("prefix", a.trade[:2]))
    return keys


def index_keys(record: CustomerRecord) -> set[Key]:
    """Every (kind, key) under which `record` is stored."""
    p = profile(record)
    keys: set[Key] = set()
    for form in p.forms:
        keys |= _form_keys(form.anatomy, p)
    keys.update(("phone", phone) for phone in p.phones)
    keys.update(("email_domain", domain) for domain in p.domains)
    return keys


def _variant_keys(a: Anatomy) -> set[Key]:
    keys: set[Key] = {("name", a.core)}
    if not a.trade:
        head = a.regions[0] if a.regions else ""
        keys.update(("trade", head + "".join(a.descriptors[:n])) for n in range(1, len(a.descriptors) + 1))
        return keys
    if a.script == "en":
        keys.add(("trade", a.trade))
        keys.update(_deletions(a.trade) if len(a.trade) >= 5 else set())
        keys.update({("word", a.trade)} if a.bare and len(a.words) == 1 and len(a.trade) >= 4 else set())
        return keys
    names = {a.trade} | {region + a.trade for region in a.regions}
    for name in names:
        keys.add(("trade", name))
        keys |= _zh_typo_keys(name)
        keys.add(("trade_sub", name + WILDCARD))  # the last character was cut off (字节跳)
    if a.bare and len(a.trade) == 2:
        keys.add(("prefix", a.trade))
    if 4 <= len(a.trade) <= 6:  # joint ventures name both partners: 上汽通用, 长安福特
        keys.update(("trade", part) for i in range(2, len(a.trade) - 1) for part in (a.trade[:i], a.trade[i:]))
    return keys


def prepared_keys(q: Query) -> set[Key]:
    if q.phone is not None:
        return {("phone", q.phone)}
    keys: set[Key] = set()
    if q.domain is not None and not is_webmail(q.domain):
        keys.update(("email_domain", d) for d in parents(q.domain))
    for variant in q.variants:
        if not variant.generic:
            keys |= _variant_keys(variant)
    return keys


def query_keys(query: str) -> set[Key]:
    """The (kind, key) pairs to probe for `query`; empty for generic queries and webmail."""
    return prepared_keys(prepare(query))
