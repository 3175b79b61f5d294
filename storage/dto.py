"""Frozen views that services return: never ORM objects outside storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and from where: every change is audited with this."""

    user: UserView | None
    platform: str = "console"
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    login: str
    name: str
    role: str  # rep | manager | admin
    team_id: int
    team: str
    tz: str
    locale: str | None


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class DealView:
    id: int
    customer_id: int
    customer: str
    owner_login: str
    owner_name: str
    team: str
    stage: str
    money: Money | None  # None when unset or hidden from the viewer
    amount_hidden: bool
    next_followup_at: datetime | None
    overdue: bool
    last_note: str | None
    last_activity_at: datetime
    created_at: datetime
    lost_reason: str | None = None
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class CollisionView:
    """Why a deal was not created: the customer is protected by another rep."""

    customer_id: int
    customer: str
    owner_login: str
    owner_name: str
    owner_since: datetime | None
    last_activity_at: datetime
    protected_until: datetime
    matched_by: str  # name | phone
    team: str


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """A customer a typed name may be (a possible match, or one of an ambiguous list): never a collision;
    shown with 是同一家 / 不是 buttons."""

    customer_id: int
    customer: str
    match: str  # same | possible
    score: float
    owner_login: str | None
    owner_name: str | None


@dataclass(frozen=True, slots=True)
class CreateResult:
    deal: DealView | None
    collision: CollisionView | None = None
    customer_created: bool = False
    claimed_from_pool: bool = False
    candidates: tuple[MatchCandidate, ...] = ()


@dataclass(frozen=True, slots=True)
class LogResult:
    deal: DealView
    activity_id: int
    kind: str
    closed_followups: int


@dataclass(frozen=True, slots=True)
class WhoEntry:
    customer_id: int
    customer: str
    match: str  # same | possible
    score: float
    owner_login: str | None
    owner_name: str | None
    in_pool: bool
    stage: str | None
    deal_id: int | None
    last_activity_at: datetime
    next_followup_at: datetime | None
    money: Money | None


@dataclass(frozen=True, slots=True)
class PoolEntry:
    customer_id: int
    customer: str
    city: str | None
    former_owner: str | None
    pooled_since: datetime | None
    last_activity_at: datetime


@dataclass(frozen=True, slots=True)
class UndoResult:
    action: str
    entity: str
    entity_id: int | None
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AssignResult:
    deal: DealView
    previous_owner_login: str
    new_owner_login: str
