"""Finds the deal a command names, by `#id` or by customer name (same, or one of an ambiguous list),
preferring the sender's own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from storage.errors import Conflict, NotFound
from storage.models import Deal
from storage.pipeline import CLOSED
from storage.services.base import ServiceContext
from storage.services.matcher import CustomerMatcher

# Built once (statement building costs more than running these indexed reads).
_DEAL = select(Deal).where(Deal.id == bindparam("id"), Deal.deleted_at.is_(None))
_DEAL_LOCKED = _DEAL.with_for_update()
_OPEN_DEALS = (
    select(Deal)
    .where(Deal.customer_id.in_(bindparam("customers", expanding=True)), Deal.deleted_at.is_(None),
           Deal.stage.not_in(CLOSED))
    .order_by(Deal.id)
)
_OPEN_DEALS_LOCKED = _OPEN_DEALS.with_for_update(of=Deal)


@dataclass(frozen=True, slots=True)
class DealRef:
    """`#42` → deal_id; anything else → the customer name typed."""

    deal_id: int | None = None
    customer: str | None = None

    def describe(self) -> str:
        return f"#{self.deal_id}" if self.deal_id is not None else (self.customer or "")


class DealLookup:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def get(self, deal_id: int, *, lock: bool = False) -> Deal:
        query = _DEAL_LOCKED if lock and self.ctx.for_update else _DEAL
        deal = await self.ctx.session.scalar(query, {"id": deal_id})
        if deal is None:
            raise NotFound("error.no_such_deal", ref=f"#{deal_id}")
        return deal

    async def resolve(self, ref: DealRef, *, lock: bool = False) -> Deal:
        if ref.deal_id is not None:
            return await self.get(ref.deal_id, lock=lock)
        found = await CustomerMatcher(self.ctx).lookup(ref.customer or "")
        # An ambiguous short name (平安) may still name one deal: the sender's own, or the only open one.
        hits = found.sames or (list(found.hits) if found.kind == "ambiguous" else [])
        if not hits:
            raise NotFound("error.no_such_deal", ref=ref.describe())
        # One customer (the usual case): its open deals are locked in this read. Several (an ambiguous
        # short name): only the chosen deal is locked, below. SQLite has no row locks: nothing to redo.
        lock_here = lock and self.ctx.for_update and len(hits) == 1
        deals = list(await self.ctx.session.scalars(_OPEN_DEALS_LOCKED if lock_here else _OPEN_DEALS,
                                                    {"customers": [h.customer_id for h in hits]}))
        user = self.ctx.user()
        own = [d for d in deals if d.owner_id == user.id]
        chosen = own or deals
        if not chosen:
            raise NotFound("error.no_such_deal", ref=ref.describe())
        if len(chosen) > 1:
            raise Conflict("error.ambiguous_deal", ref=ref.describe(),
                           ids=", ".join(f"#{d.id}" for d in chosen[:8]))
        if lock and self.ctx.for_update and not lock_here:
            return await self.get(chosen[0].id, lock=True)
        return chosen[0]

    async def for_change(self, ref: DealRef) -> Deal:
        return await self.resolve(ref, lock=True)
