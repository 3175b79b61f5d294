"""A rep's query, prepared once: phone, e-mail domain, or parsed name variants (with R8 abbreviations)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storage.matching.anatomy import Anatomy, parse
from storage.matching.emails import email_domain, is_address
from storage.matching.lexicon import ABBREVIATIONS
from storage.matching.normalize import compact
from storage.matching.phones import canonical_phone, looks_like_phone


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    compact: str
    phone: str | None
    domain: str | None
    is_address: bool
    variants: tuple[Anatomy, ...]

    @property
    def generic(self) -> bool:
        return bool(self.variants) and all(v.generic for v in self.variants)

    @property
    def main(self) -> Anatomy | None:
        return self.variants[0] if self.variants else None


@lru_cache(maxsize=4096)
def prepare(text: str) -> Query:
    key = compact(text)
    if looks_like_phone(text):
        return Query(text, key, canonical_phone(text), None, False, ())
    address = is_address(text)
    domain = email_domain(text) if address or re.fullmatch(r"\S+\.[A-Za-z]{2,}/?", text.strip()) else None
    if address:
        return Query(text, key, None, domain, True, ())
    variants = [parse(text)]
    if key in ABBREVIATIONS:
        variants.append(parse(ABBREVIATIONS[key]))
    return Query(text, key, None, domain, False, tuple(variants))
