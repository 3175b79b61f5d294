"""Split a company name into region / trade name / descriptors / legal form (the anatomy in the conventions).

`parse` accepts raw text; Chinese and English names are handled, mixed names like `TCL科技` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from storage.matching import lexicon as lx
from storage.matching.normalize import has_cjk, normalize
from storage.matching.regions import EN_REGIONS, canonical_region, region_prefix, region_suffix

_ORDINAL = re.compile(f"{lx.ORDINAL_UNIT}$")
_BRACKET = re.compile(r"\(([^()]*)\)")
UNIT = "下属单位"


@dataclass(frozen=True, slots=True)
class Anatomy:
    """A parsed name. `trade` is "" when only region + descriptors remain (上海电气, 中国银行)."""

    text: str
    script: Literal["zh", "en"]
    regions: tuple[str, ...]
    trade: str
    descriptors: tuple[str, ...]
    formal: bool
    qualified: bool
    words: tuple[str, ...] = ()

    @property
    def region(self) -> str | None:
        return self.regions[-1] if self.regions else None

    @property
    def identity(self) -> str:
        """What names the company: the trade name, or region + descriptors when there is no trade name."""
        if self.trade:
            return self.trade
        return (self.regions[0] if self.regions else "") + "".join(self.descriptors)

    @property
    def core(self) -> str:
        """Region, trade and descriptors without legal form: the exact-match spelling."""
        return (self.region or "") + self.trade + "".join(self.descriptors)

    @property
    def bare(self) -> bool:
        """Only a trade name was typed: no region, descriptor or legal word."""
        return not (self.regions or self.descriptors or self.qualified)

    @property
    def generic(self) -> bool:
        """R10: nothing but regions, descriptors, legal words or directional words."""
        if not self.trade:
            return not (self.regions and self.descriptors)
        if self.script == "en":
            return len(self.trade) < 2 or self.trade in lx.GENERIC_EN or self.trade in lx.LEGAL_EN
        return len(self.trade) < 2 or (self.trade in lx.GENERIC_ZH and not self.descriptors and not self.regions)


def _strip_brackets(s: str, regions: list[str], legal: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        inner = match.group(1).replace(" ", "")
        region = canonical_region(inner) or (_en_region(inner) if inner in EN_REGIONS else None)
        if region:
            regions.append(region)
            return " "
        if inner in lx.LEGAL_ZH or inner in lx.LEGAL_EN or inner in lx.FORMAL_ZH:
            legal.append(inner)
            return " "
        return f" {match.group(1)} "

    return _BRACKET.sub(replace, s).replace("(", " ").replace(")", " ")


_LEGAL_ZH = frozenset(lx.LEGAL_ZH)
_LEGAL_LENGTHS = tuple(sorted({len(form) for form in lx.LEGAL_ZH}, reverse=True))
_BRANCH = frozenset(lx.BRANCH)
_BRANCH_LENGTHS = tuple(sorted({len(word) for word in lx.BRANCH}, reverse=True))


def _strip_legal_zh(s: str, legal: list[str]) -> str:
    """Legal forms and branch words off the end, one dictionary probe per length (longest first, as
    LEGAL_ZH is ordered; no branch word ends another, so their order does not matter)."""
    if s in _LEGAL_ZH:
        legal.append(s)
        return ""
    changed = True
    while changed:
        changed = False
        for length in _LEGAL_LENGTHS:
            if len(s) > length and (form := s[-length:]) in _LEGAL_ZH:
                s, changed = s[:-length], True
                legal.append(form)
                break
        for length in _BRANCH_LENGTHS:
            if len(s) > length + 1 and s[-length:] in _BRANCH:
                s, changed = s[:-length], True
                found = region_suffix(s)
                s = found[1] if found else s
                break
    return s


_DESCRIPTOR_LENGTHS = tuple(sorted({len(word) for word in lx.DESCRIPTORS}, reverse=True))


def _strip_descriptors_zh(s: str) -> tuple[str, list[str]]:
    descriptors: list[str] = []
    while s not in lx.DESCRIPTORS:
        unit = _ORDINAL.search(s)
        if unit and unit.start() >= 2:
            s = s[: unit.start()]
            descriptors.insert(0, UNIT)
            continue
        # The longest descriptor ending `s` (leaving at least 2 characters): one probe per length.
        for length in _DESCRIPTOR_LENGTHS:
            if len(s) - length >= 2 and (word := s[-length:]) in lx.DESCRIPTORS:
                s = s[:-length]
                descriptors.insert(0, lx.canonical_descriptor(word))
                break
        else:
            break
    if s in lx.DESCRIPTORS:
        descriptors.insert(0, lx.canonical_descriptor(s))
        s = ""
    return s, descriptors


def _parse_zh(text: str, s: str, regions: list[str], legal: list[str]) -> Anatomy:
    s = _strip_legal_zh(s.replace(" ", ""), legal)
    if s in lx.LEGAL_ZH:
        legal.append(s)
        s = ""
    whole = canonical_region(s)
    if whole:
        return Anatomy(text, "zh", (*regions, whole), "", (), _formal(legal), bool(legal))
    leading: list[str] = []
    while (found := region_prefix(s)) and len(found[1]) >= 2:
        leading.append(found[0])
        s = _strip_legal_zh(found[1], legal)
    if (found := region_suffix(s)) and len(found[1]) >= 2:
        regions.append(found[0])
        s = _strip_legal_zh(found[1], legal)
    trade, descriptors = _strip_descriptors_zh(s)
    if trade and not has_cjk(trade):
        english = _parse_en(text, trade, [], [])
        trade, descriptors = english.trade, [*english.descriptors, *descriptors]
    return Anatomy(text, "zh", (*leading, *regions), trade, tuple(descriptors), _formal(legal), bool(legal))


def _parse_en(text: str, s: str, regions: list[str], legal: list[str]) -> Anatomy:
    words = s.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1] in lx.LEGAL_EN or words[-1] in EN_REGIONS or words[-1] == "and"):
        word = words.pop()
        if word in EN_REGIONS:
            regions.append(_en_region(word))
        elif word != "and":
            legal.append(word)
    descriptors: list[str] = []
    while len(words) > 1 and words[-1] in lx.EN_DESCRIPTORS:
        descriptors.insert(0, words.pop())
    return Anatomy(
        text, "en", tuple(regions), "".join(words), tuple(descriptors), _formal(legal), bool(legal), tuple(words)
    )


def _en_region(word: str) -> str:
    return "中国" if word in ("china", "prc") else word


def _formal(legal: list[str]) -> bool:
    return any(form in lx.FORMAL_ZH or form in lx.FORMAL_EN for form in legal)


@lru_cache(maxsize=8192)
def parse(text: str) -> Anatomy:
    """Parse a raw name (any width, case or bracket style)."""
    normalized = normalize(text)
    regions: list[str] = []
    legal: list[str] = []
    s = _strip_brackets(normalized, regions, legal)
    if has_cjk(s):
        return _parse_zh(normalized, s, regions, legal)
    return _parse_en(normalized, " ".join(s.split()), regions, legal)
