"""Value types shared by the matcher: the customer record as the matcher sees it, its parsed profile, and
verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from storage.matching.anatomy import Anatomy

Match = Literal["same", "possible", "none"]
Kind = Literal["same", "possible", "ambiguous", "none"]


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """One book entry. The first Chinese (or, failing that, English) alias is the usual short name."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    city: str | None = None
    phones: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    owner: str | None = None
    # The profile as the database keeps it (storage.matching.stored_profile); not part of the record's identity
    stored: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one query relates to one record. `tier` orders "same" verdicts: 3 exact name, 2 trade name,
    1 group member or typo. `reason` names the rule that decided: same = exact | trade | group | typo |
    phone | email; possible = short (bare short name, confirm) | partial (prefix / word of a longer name) |
    shared_name (R12) | other_industry (R5) | other_entity (R4c)."""

    match: Match
    score: float
    reason: str = ""
    tier: int = 0


NO_MATCH = Verdict("none", 0.0, "none")


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: str
    match: Match
    score: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class MatchResult:
    kind: Kind
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class Form:
    """One name of a record (its registered name or an alias), parsed."""

    anatomy: Anatomy
    formal: bool
    abbreviation: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    record: CustomerRecord
    forms: tuple[Form, ...]
    city: str | None
    bound_region: str | None
    bound: tuple[tuple[str, tuple[frozenset[str], ...]], ...]
    formal_trade: str
    formal_descriptors: frozenset[str]
    phones: frozenset[str]
    domains: tuple[str, ...]

    def bound_descriptors(self, trade: str) -> tuple[frozenset[str], ...] | None:
        """Descriptor sets the book always writes after `trade` (格力 -> {电器}); None if it is used bare."""
        for name, sets in self.bound:
            if name == trade:
                return sets
        return None
