"""Moving deals through the pipeline: next or named stage, won, lost with a reason; all recorded."""

from __future__ import annotations

from storage.dto import DealView, Money
from storage.errors import DomainError, InvalidTransition
from storage.models import Deal, StageChange
from storage.pipeline import CLOSED, LOST, WON, Pipeline
from storage.services.base import ServiceContext
from storage.services.customers import touch_customer
from storage.services.lookup import DealLookup, DealRef
from storage.services.permissions import require_change
from storage.services.snapshots import deal_snapshot, followups_snapshot, open_followups
from storage.services.views import deal_view


class StageService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.pipeline = Pipeline(ctx.pipeline)
        self.lookup = DealLookup(ctx)

    async def move(self, ref: DealRef, stage: str | None) -> DealView:
        return (await self.move_from(ref, stage))[1]

    async def move_from(self, ref: DealRef, stage: str | None) -> tuple[str, DealView]:
        """`move`, and the stage the deal was at before it."""
        deal = await self.lookup.for_change(ref)
        target = stage or self.pipeline.next_after(deal.stage)
        if target is None:
            raise InvalidTransition("error.deal_closed", ref=f"#{deal.id}", stage=deal.stage)
        if target == LOST:
            raise DomainError("error.lost_needs_reason", ref=f"#{deal.id}")
        previous = deal.stage
        return previous, await self._change(deal, target, action="deal.move")

    async def won(self, ref: DealRef, money: Money | None) -> DealView:
        deal = await self.lookup.for_change(ref)
        return await self._change(deal, WON, action="deal.won", money=money)

    async def lost(self, ref: DealRef, reason: str) -> DealView:
        if not reason.strip():
            raise DomainError("error.lost_needs_reason", ref=ref.describe())
        deal = await self.lookup.for_change(ref)
        return await self._change(deal, LOST, action="deal.lost", reason=reason.strip())

    async def _change(self, deal: Deal, target: str, *, action: str, money: Money | None = None,
                      reason: str | None = None) -> DealView:
        user, now = self.ctx.user(), self.ctx.now()
        require_change(user, deal.owner_id, deal.team_id)
        if deal.stage in CLOSED:
            raise InvalidTransition("error.deal_closed", ref=f"#{deal.id}", stage=deal.stage)
        if target == deal.stage:
            raise InvalidTransition("error.same_stage", ref=f"#{deal.id}", stage=target)
        due = await open_followups(self.ctx, deal.id)
        before = {"deal": deal_snapshot(deal), "followups": followups_snapshot(due)}
        self.ctx.session.add(StageChange(deal_id=deal.id, from_stage=deal.stage, to_stage=target,
                                         changed_by=user.id, changed_at=now, reason=reason))
        deal.stage = target
        deal.updated_at = deal.last_activity_at = now
        if money is not None:
            deal.amount, deal.currency = money.amount, money.currency
        # any move is activity: it keeps the owner's protection alive
        await touch_customer(self.ctx, deal.customer_id, live_only=False)
        if target in CLOSED:
            deal.closed_at = now
            deal.lost_reason = reason
            for followup in due:  # a closed deal has nothing left to chase
                followup.status, followup.closed_at = "cancelled", now
        await self.ctx.session.flush()
        self.ctx.audit(action, "deal", deal.id, before=before, after={"deal": deal_snapshot(deal)}, undoable=True)
        return await deal_view(self.ctx, deal, user)
