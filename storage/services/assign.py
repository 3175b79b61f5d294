"""Managers hand a deal (and its customer) to a rep of their team."""

from __future__ import annotations

from storage.dto import AssignResult
from storage.errors import DomainError
from storage.models import Customer, User
from storage.services.base import ServiceContext
from storage.services.lookup import DealLookup, DealRef
from storage.services.permissions import require_manager
from storage.services.snapshots import customer_snapshot, deal_snapshot, followups_snapshot, open_followups
from storage.services.users import UserService
from storage.services.views import deal_view


class AssignService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def assign(self, ref: DealRef, to_login: str) -> AssignResult:
        actor, now = self.ctx.user(), self.ctx.now()
        deal = await DealLookup(self.ctx).for_change(ref)
        require_manager(actor, deal.team_id)
        target = await UserService(self.ctx).by_login(to_login)
        if actor.role != "admin" and target.team_id != deal.team_id:
            raise DomainError("error.other_team", login=target.login)
        previous = await self.ctx.session.get_one(User, deal.owner_id)
        customer = await self.ctx.session.get_one(Customer, deal.customer_id)
        due = await open_followups(self.ctx, deal.id)
        before = {"deal": deal_snapshot(deal), "followups": followups_snapshot(due),
                  "customer": customer_snapshot(customer)}
        deal.owner_id, deal.updated_at = target.id, now
        for followup in due:
            followup.owner_id = target.id
        customer.owner_id, customer.owner_since, customer.last_activity_at = target.id, now, now
        await self.ctx.session.flush()
        self.ctx.audit("deal.assign", "deal", deal.id, before=before,
                       after={"deal": deal_snapshot(deal), "to": target.login}, undoable=True)
        return AssignResult(await deal_view(self.ctx, deal, actor), previous.login, target.login)
