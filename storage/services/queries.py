"""Read-only answers: one deal, my deals, today's follow-ups, and who owns a customer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from storage.dto import DealView, Money, WhoEntry
from storage.models import Customer, Deal, FollowUp, User
from storage.pipeline import CLOSED
from storage.services.base import ServiceContext
from storage.services.customers import ContactInput, CustomerService
from storage.services.lookup import DealLookup, DealRef
from storage.services.matcher import Hit
from storage.services.permissions import can_see_details
from storage.services.pool import start_of_local_day
from storage.services.views import deal_view, deal_views, next_followups


class QueryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def deal(self, ref: DealRef) -> DealView:
        deal = await DealLookup(self.ctx).resolve(ref)
        return await deal_view(self.ctx, deal, self.ctx.user())

    async def mine(self, limit: int = 15) -> tuple[list[DealView], int]:
        """Open deals of the sender, overdue first, then by next follow-up; and how many in all."""
        user = self.ctx.user()
        # A deal whose customer went back to the pool is nobody's until it is claimed.
        owned = select(Customer.id).where(Customer.id == Deal.customer_id, Customer.owner_id.is_not(None)).exists()
        open_mine = (Deal.owner_id == user.id, Deal.stage.not_in(CLOSED), Deal.deleted_at.is_(None), owned)
        total = await self.ctx.session.scalar(select(func.count(Deal.id)).where(*open_mine)) or 0
        next_due = (
            select(FollowUp.deal_id, func.min(FollowUp.due_at).label("due"))
            .where(FollowUp.owner_id == user.id, FollowUp.status == "open")
            .group_by(FollowUp.deal_id)
            .subquery()
        )
        deals = list(
            await self.ctx.session.scalars(
                select(Deal)
                .outerjoin(next_due, next_due.c.deal_id == Deal.id)
                .where(*open_mine)
                .order_by(next_due.c.due.is_(None), next_due.c.due, Deal.last_activity_at.desc())
                .limit(limit)
            )
        )
        return await deal_views(self.ctx, deals, user), total

    async def today(self) -> list[DealView]:
        """Deals with a follow-up due before the end of the sender's day, overdue ones included."""
        user = self.ctx.user()
        end = start_of_local_day(self.ctx.now(), user.tz) + timedelta(days=1)
        deal_ids = list(
            await self.ctx.session.scalars(
                select(FollowUp.deal_id)
                .where(FollowUp.owner_id == user.id, FollowUp.status == "open", FollowUp.due_at < end)
                .group_by(FollowUp.deal_id)
                .order_by(func.min(FollowUp.due_at))
                .limit(30)
            )
        )
        deals = {d.id: d for d in await self.ctx.session.scalars(
            select(Deal).where(Deal.id.in_(deal_ids), Deal.deleted_at.is_(None)))}
        return await deal_views(self.ctx, [deals[i] for i in deal_ids if i in deals], user)

    async def who(self, query: str, contact: ContactInput | None = None) -> list[WhoEntry]:
        """Owner, stage, last contact and next follow-up of every customer the query points at."""
        return (await self.who_answer(query, contact))[1]

    async def who_answer(self, query: str, contact: ContactInput | None = None) -> tuple[str, list[WhoEntry]]:
        """The matcher's kind (same | possible | ambiguous | none) and an entry per customer it lists:
        possible ones keep `match="possible"`; an ambiguous short name (平安) lists every plausible one."""
        found = await CustomerService(self.ctx).lookup(query, contact)
        return found.kind, await self._entries(list(found.hits))

    async def who_by_id(self, customer_id: int) -> list[WhoEntry]:
        return await self._entries([Hit(customer_id, "same", 1.0, "id")])

    async def _entries(self, hits: list[Hit]) -> list[WhoEntry]:
        viewer = self.ctx.user()
        entries = []
        for hit in hits[:10]:
            customer = await self.ctx.session.get(Customer, hit.customer_id)
            if customer is None or customer.deleted_at is not None:
                continue
            owner = await self.ctx.session.get(User, customer.owner_id) if customer.owner_id else None
            deal = await self.ctx.session.scalar(
                select(Deal).where(Deal.customer_id == customer.id, Deal.deleted_at.is_(None))
                .order_by(Deal.stage.in_(CLOSED), Deal.last_activity_at.desc()).limit(1)
            )
            due = (await next_followups(self.ctx, [deal.id])).get(deal.id) if deal else None
            shown = deal is not None and can_see_details(viewer, deal.owner_id, deal.team_id)
            money = Money(deal.amount, deal.currency or "CNY") if (
                shown and deal is not None and deal.amount is not None) else None
            entries.append(WhoEntry(
                customer_id=customer.id, customer=customer.name, match=hit.match, score=hit.score,
                owner_login=owner.login if owner else None, owner_name=owner.name if owner else None,
                in_pool=customer.owner_id is None, stage=deal.stage if deal else None,
                deal_id=deal.id if deal else None, last_activity_at=customer.last_activity_at,
                next_followup_at=due, money=money,
            ))
        return entries
