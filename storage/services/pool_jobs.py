"""The pool period, run by the scheduler: customers about to return to the pool, and returning them
(with a pool event, so the reclaim cooldown applies, and an audit row)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from storage.models import Customer, PoolEvent
from storage.services.base import ServiceContext
from storage.services.reminder_jobs import CustomerInfo, ReminderStore
from storage.services.snapshots import customer_snapshot


def _info(c: Customer) -> CustomerInfo:
    return CustomerInfo(c.id, c.name, c.owner_id, c.team_id, c.last_activity_at)


class PoolJobService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def _cutoff(self) -> datetime:
        return self.ctx.now() - timedelta(days=self.ctx.pipeline.pool_days)

    async def warnings_due(self) -> list[CustomerInfo]:
        """Owned customers inside the warning window whose owner was not warned for this quiet spell."""
        pipeline = self.ctx.pipeline
        start = self.ctx.now() - timedelta(days=pipeline.pool_days - pipeline.pool_warning_days)
        rows = await self.ctx.session.scalars(
            select(Customer).where(Customer.owner_id.is_not(None), Customer.deleted_at.is_(None),
                                   Customer.last_activity_at <= start, Customer.last_activity_at > self._cutoff)
            .order_by(Customer.owner_id, Customer.id))
        found = [_info(c) for c in rows]
        warned = await ReminderStore(self.ctx).marks_since("pool_warning", [c.id for c in found])
        return [c for c in found if not any(at >= c.last_activity_at for _, at in warned.get(c.id, ()))]

    async def returns_due(self) -> list[CustomerInfo]:
        rows = await self.ctx.session.scalars(
            select(Customer).where(Customer.owner_id.is_not(None), Customer.deleted_at.is_(None),
                                   Customer.last_activity_at <= self._cutoff)
            .order_by(Customer.owner_id, Customer.id))
        return [_info(c) for c in rows]

    async def return_to_pool(self, customer_id: int) -> CustomerInfo | None:
        """Back to the pool if still owned and still quiet (checked under a row lock); the former owner's
        info comes back, or None when another instance (or the owner) got there first."""
        query = select(Customer).where(Customer.id == customer_id)
        if self.ctx.for_update:
            query = query.with_for_update()
        customer = await self.ctx.session.scalar(query)
        if (customer is None or customer.owner_id is None or customer.deleted_at is not None
                or customer.last_activity_at > self._cutoff):
            return None
        former = _info(customer)
        before = customer_snapshot(customer)
        self.ctx.session.add(PoolEvent(customer_id=customer.id, user_id=customer.owner_id, kind="return",
                                       at=self.ctx.now()))
        customer.owner_id, customer.owner_since = None, None
        self.ctx.audit("pool.return", "customer", customer.id, before={"customer": before},
                       after={"customer": customer_snapshot(customer), "pool_days": self.ctx.pipeline.pool_days})
        return former
