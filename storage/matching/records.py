"""Value types shared by the matcher: the customer record as the matcher sees it, and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
