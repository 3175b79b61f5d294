"""Before/after pictures of a deal for the audit log, and restoring one (what undo applies)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select

from storage.models import Customer, Deal, FollowUp
from storage.services.base import ServiceContext


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def deal_snapshot(deal: Deal) -> dict[str, Any]:
    return {
        "stage": deal.stage,
        "owner_id": deal.owner_id,
        "amount": str(deal.amount) if deal.amount is not None else None,
        "currency": deal.currency,
        "lost_reason": deal.lost_reason,
        "closed_at": _iso(deal.closed_at),
        "last_activity_at": _iso(deal.last_activity_at),
        "deleted_at": _iso(deal.deleted_at),
    }


def restore_deal(deal: Deal, snap: dict[str, Any]) -> None:
    deal.stage = snap["stage"]
    deal.owner_id = snap["owner_id"]
    deal.amount = Decimal(snap["amount"]) if snap["amount"] is not None else None
    deal.currency = snap["currency"]
    deal.lost_reason = snap["lost_reason"]
    deal.closed_at = _dt(snap["closed_at"])
    deal.last_activity_at = _dt(snap["last_activity_at"]) or deal.last_activity_at
    deal.deleted_at = _dt(snap["deleted_at"])


def customer_snapshot(customer: Customer) -> dict[str, Any]:
    return {
        "owner_id": customer.owner_id,
        "owner_since": _iso(customer.owner_since),
        "last_activity_at": _iso(customer.last_activity_at),
        "deleted_at": _iso(customer.deleted_at),
    }


def restore_customer(customer: Customer, snap: dict[str, Any]) -> None:
    customer.owner_id = snap["owner_id"]
    customer.owner_since = _dt(snap["owner_since"])
    customer.last_activity_at = _dt(snap["last_activity_at"]) or customer.last_activity_at
    customer.deleted_at = _dt(snap["deleted_at"])


_OPEN_FOLLOWUPS = (select(FollowUp).where(FollowUp.deal_id == bindparam("deal_id"), FollowUp.status == "open")
                   .order_by(FollowUp.due_at))


async def open_followups(ctx: ServiceContext, deal_id: int) -> list[FollowUp]:
    return list(await ctx.session.scalars(_OPEN_FOLLOWUPS, {"deal_id": deal_id}))


def followups_snapshot(followups: list[FollowUp]) -> list[dict[str, Any]]:
    return [{"id": f.id, "status": f.status, "closed_at": _iso(f.closed_at)} for f in followups]


async def restore_followups(ctx: ServiceContext, deal_id: int, snap: list[dict[str, Any]]) -> None:
    """Followups open at snapshot time are reopened; any opened since are cancelled."""
    wanted = {item["id"]: item for item in snap}
    rows = await ctx.session.scalars(select(FollowUp).where(FollowUp.deal_id == deal_id))
    for followup in rows:
        if followup.id in wanted:
            followup.status = wanted[followup.id]["status"]
            followup.closed_at = _dt(wanted[followup.id]["closed_at"])
        elif followup.status == "open":
            followup.status, followup.closed_at = "cancelled", ctx.now()
