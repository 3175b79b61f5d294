"""The public pool (公海): list unowned customers, claim one within the caps, release one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from storage.dto import PoolEntry
from storage.errors import Conflict, NotAllowed, NotFound
from storage.models import Customer, Deal, PoolEvent, User
from storage.pipeline import CLOSED
from storage.services.base import ServiceContext
from storage.services.customers import CustomerService
from storage.services.permissions import require_change
from storage.services.snapshots import customer_snapshot, followups_snapshot, open_followups


def start_of_local_day(now: datetime, tz: str) -> datetime:
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class PoolService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.customers = CustomerService(ctx)

    async def list(self, limit: int = 20) -> list[PoolEntry]:
        user = self.ctx.user()
        rows = await self.ctx.session.scalars(
            select(Customer)
            .where(Customer.owner_id.is_(None), Customer.deleted_at.is_(None), Customer.team_id == user.team_id)
            .order_by(Customer.last_activity_at.desc())
            .limit(limit)
        )
        entries = []
        for customer in rows:
            event = await self._last_event(customer.id, ("release", "return"))
            former = await self.ctx.session.scalar(select(User.login).where(User.id == event.user_id)) if (
                event and event.user_id) else None
            entries.append(PoolEntry(customer.id, customer.name, customer.city, former,
                                     event.at if event else None, customer.last_activity_at))
        return entries

    async def _last_event(self, customer_id: int, kinds: tuple[str, ...]) -> PoolEvent | None:
        return await self.ctx.session.scalar(
            select(PoolEvent).where(PoolEvent.customer_id == customer_id, PoolEvent.kind.in_(kinds))
            .order_by(PoolEvent.at.desc(), PoolEvent.id.desc()).limit(1)
        )

    async def check_claim_allowed(self, customer: Customer) -> None:
        """The per-day claim cap and the former owner's cooldown."""
        user, now = self.ctx.user(), self.ctx.now()
        claims_today = await self.ctx.session.scalar(
            select(func.count(PoolEvent.id)).where(
                PoolEvent.user_id == user.id, PoolEvent.kind == "claim",
                PoolEvent.at >= start_of_local_day(now, user.tz),
            )
        )
        if (claims_today or 0) >= self.ctx.pipeline.claims_per_day:
            raise Conflict("error.claim_limit", limit=self.ctx.pipeline.claims_per_day)
        left = await self._last_event(customer.id, ("release", "return"))
        cooldown = timedelta(days=self.ctx.pipeline.reclaim_cooldown_days)
        if left is not None and left.user_id == user.id and now < left.at + cooldown:
            raise Conflict("error.reclaim_cooldown", until=(left.at + cooldown).isoformat())

    async def take(self, customer: Customer) -> dict[str, int]:
        """Make the actor the owner of a pool customer and of its open deals (claim cap checked).

        Returns the open deals' previous owners, so that undo can hand them back.
        """
        await self.check_claim_allowed(customer)
        user, now = self.ctx.user(), self.ctx.now()
        customer.owner_id, customer.owner_since, customer.last_activity_at = user.id, now, now
        self.ctx.session.add(PoolEvent(customer_id=customer.id, user_id=user.id, kind="claim", at=now))
        deals = await self.ctx.session.scalars(
            select(Deal).where(Deal.customer_id == customer.id, Deal.stage.not_in(CLOSED),
                               Deal.deleted_at.is_(None))
        )
        previous = {}
        for deal in deals:
            previous[str(deal.id)] = deal.owner_id
            deal.owner_id = user.id
        return previous

    async def claim(self, customer_id: int) -> Customer:
        customer = await self.customers.get(customer_id, for_update=True)
        if customer is None:
            raise NotFound("error.no_such_customer", id=customer_id)
        if customer.owner_id is not None:
            raise Conflict("error.not_in_pool", customer=customer.name)
        before = customer_snapshot(customer)
        deal_owners = await self.take(customer)
        self.ctx.audit("pool.claim", "customer", customer.id, before={"customer": before, "deal_owners": deal_owners},
                       after={"customer": customer_snapshot(customer)}, undoable=True)
        return customer

    async def release(self, customer_id: int) -> Customer:
        customer = await self.customers.get(customer_id, for_update=True)
        if customer is None:
            raise NotFound("error.no_such_customer", id=customer_id)
        if customer.owner_id is None:
            raise Conflict("error.already_in_pool", customer=customer.name)
        user = self.ctx.user()
        require_change(user, customer.owner_id, customer.team_id)
        if customer.owner_id != user.id and user.role == "rep":
            raise NotAllowed("error.not_yours", who="owner_or_manager")
        before = customer_snapshot(customer)
        now = self.ctx.now()
        self.ctx.session.add(PoolEvent(customer_id=customer.id, user_id=customer.owner_id, kind="release", at=now))
        customer.owner_id, customer.owner_since = None, None
        # The open deals wait in the pool with their customer: nobody is reminded of them until a
        # claim hands them (and fresh follow-ups) to the new owner.
        followups = {}
        for deal in await self.ctx.session.scalars(
            select(Deal).where(Deal.customer_id == customer.id, Deal.stage.not_in(CLOSED), Deal.deleted_at.is_(None))
        ):
            due = await open_followups(self.ctx, deal.id)
            followups[str(deal.id)] = followups_snapshot(due)
            for followup in due:
                followup.status, followup.closed_at = "cancelled", now
        self.ctx.audit("pool.release", "customer", customer.id, before={"customer": before, "followups": followups},
                       after={"customer": customer_snapshot(customer)}, undoable=True)
        return customer
