"""Creating deals (with the collision check), logging follow-ups and setting reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, update

from storage.dto import CreateResult, LogResult, MatchCandidate, Money
from storage.errors import InvalidTransition
from storage.hot import HotStatement
from storage.models import Activity, Customer, Deal, FollowUp, StageChange
from storage.pipeline import CLOSED
from storage.services.base import ServiceContext
from storage.services.collisions import collision_view, is_protected
from storage.services.confirm import match_candidates
from storage.services.customers import ContactInput, CustomerService, touch_customer
from storage.services.lookup import DealLookup, DealRef
from storage.services.matcher import Hit, Lookup
from storage.services.permissions import require_change
from storage.services.pool import PoolService
from storage.services.rows import insert_persistent, insert_rows, mark_committed, update_versioned
from storage.services.snapshots import (
    customer_snapshot,
    deal_snapshot,
    followups_snapshot,
    open_followups,
)
from storage.services.views import deal_view

_followups = cast(Table, FollowUp.__table__)
# One statement per follow-up in one executemany: an `IN (…)` list is no hot statement.
_CLOSE_FOLLOWUP = HotStatement(update(_followups).where(_followups.c.id == bindparam("row_id"))
                               .values(status=bindparam("to_status"), closed_at=bindparam("closed")))


@dataclass(frozen=True, slots=True)
class NewDeal:
    customer: str
    money: Money | None = None
    amount_text: str | None = None
    contact: ContactInput | None = None
    next_at: datetime | None = None
    next_text: str | None = None
    note: str | None = None
    raw_text: str | None = None


class DealService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.customers = CustomerService(ctx)
        self.lookup = DealLookup(ctx)

    async def create(self, new: NewDeal) -> CreateResult:
        """A deal at the first stage, owned by the actor, unless another rep's protection blocks it."""
        user, now = self.ctx.user(), self.ctx.now()
        customer: Customer | None = None
        claimed = took_over = False
        before_customer = None
        found = await self.customers.lookup(new.customer, new.contact)
        candidates = await self._same_customers(found)
        mine = [c for _, c in candidates if c.owner_id == user.id]
        if mine:
            customer = mine[0]
        else:
            for hit, taken in candidates:
                if is_protected(self.ctx, taken):
                    collision = await collision_view(self.ctx, taken, hit.matched_by)
                    self.ctx.audit("deal.collision", "customer", taken.id,
                                   after={"query": new.customer, "owner_login": collision.owner_login})
                    return CreateResult(None, collision=collision)
            if candidates:
                customer = candidates[0][1]
                before_customer = customer_snapshot(customer)
                if customer.owner_id is None:
                    await PoolService(self.ctx).take(customer)
                    claimed = True
                else:  # owned, but the owner let the protection period lapse
                    customer.owner_id, customer.owner_since = user.id, now
                    took_over = True
        created = customer is None
        choices: tuple[MatchCandidate, ...] = ()
        if customer is None:
            customer = await self.customers.create(new.customer, user.team_id, user.id, contact=new.contact)
            if found.kind in ("possible", "ambiguous"):  # never a collision: the rep confirms, or not
                choices = await match_candidates(self.ctx, found.hits)
        elif new.contact is not None and not new.contact.empty:
            await self.customers.add_contact(customer.id, new.contact)
        if customer.last_activity_at != now:  # a new customer has it already: no dirty object to flush
            customer.last_activity_at = now
        deal = Deal(
            customer_id=customer.id, owner_id=user.id, team_id=user.team_id,
            stage=self.ctx.pipeline.stages[0].key,
            amount=new.money.amount if new.money else None, currency=new.money.currency if new.money else None,
            amount_text=new.amount_text, note=new.note, raw_text=new.raw_text,
            created_at=now, updated_at=now, last_activity_at=now,
        )
        await insert_persistent(self.ctx, deal)
        await insert_rows(self.ctx, StageChange, [{"deal_id": deal.id, "to_stage": deal.stage, "changed_by": user.id,
                                                   "changed_at": now}])
        if new.note:
            await insert_rows(self.ctx, Activity, [{
                "deal_id": deal.id, "user_id": user.id, "kind": "note", "note": new.note, "raw_text": new.raw_text,
                "occurred_at": now, "created_at": now}])
        if new.next_at:
            await self._add_followup(deal, new.next_at, new.next_text)
        self.ctx.audit(
            "deal.create", "deal", deal.id,
            before={"created_customer": customer.id if created else None,
                    "customer": before_customer, "customer_id": customer.id},
            after={"deal": deal_snapshot(deal), "customer": customer.name, "raw_text": new.raw_text},
            undoable=True,
        )
        view = await deal_view(self.ctx, deal, user)
        return CreateResult(view, customer_created=created, claimed_from_pool=claimed or took_over,
                            candidates=choices)

    async def _same_customers(self, found: Lookup) -> list[tuple[Hit, Customer]]:
        """The customers the typed name, phone or e-mail is the same as, locked for the collision check."""
        candidates = []
        for hit in found.sames:
            customer = await self.customers.get(hit.customer_id, for_update=True)
            if customer is not None:
                candidates.append((hit, customer))
        return candidates

    async def _add_followup(self, deal: Deal, due_at: datetime, raw_text: str | None) -> None:
        await insert_rows(self.ctx, FollowUp, [{
            "deal_id": deal.id, "owner_id": deal.owner_id, "due_at": due_at, "raw_text": raw_text,
            "created_by": self.ctx.user().id, "created_at": self.ctx.now()}])

    async def _close_followups(self, followups: list[FollowUp], status: str) -> None:
        """The deal's open follow-ups closed in one executemany; the session's copies are told, not flushed
        again."""
        if not followups:
            return
        now = self.ctx.now()
        await _CLOSE_FOLLOWUP.run_many(self.ctx.session, [{"row_id": f.id, "to_status": status, "closed": now}
                                                          for f in followups])
        for followup in followups:
            mark_committed(followup, status=status, closed_at=now)

    async def log(self, ref: DealRef, note: str, kind: str, next_at: datetime | None,
                  next_text: str | None, raw_text: str | None) -> LogResult:
        """Record a follow-up; the due one is done, and the next one is set when given."""
        user, now = self.ctx.user(), self.ctx.now()
        deal = await self.lookup.for_change(ref)
        require_change(user, deal.owner_id, deal.team_id)
        if next_at is not None:
            self._require_open(deal)
        due = await open_followups(self.ctx, deal.id)
        before = {"deal": deal_snapshot(deal), "followups": followups_snapshot(due)}
        activity = Activity(deal_id=deal.id, user_id=user.id, kind=kind, note=note, raw_text=raw_text,
                            occurred_at=now, created_at=now)
        await insert_persistent(self.ctx, activity)
        await self._close_followups(due, "done")
        if next_at:
            await self._add_followup(deal, next_at, next_text)
        await update_versioned(self.ctx, deal, last_activity_at=now, updated_at=now)
        await self._touch_customer(deal.customer_id)
        self.ctx.audit("deal.log", "deal", deal.id, before=before,
                       after={"activity_id": activity.id, "note": note, "next_at": next_at.isoformat()
                              if next_at else None}, undoable=True)
        return LogResult(await deal_view(self.ctx, deal, user), activity.id, kind, len(due))

    async def remind(self, ref: DealRef, due_at: datetime, raw_text: str | None) -> Deal:
        """Set or move the next follow-up: open ones are replaced by this one."""
        user, now = self.ctx.user(), self.ctx.now()
        deal = await self.lookup.for_change(ref)
        require_change(user, deal.owner_id, deal.team_id)
        self._require_open(deal)
        due = await open_followups(self.ctx, deal.id)
        before = {"deal": deal_snapshot(deal), "followups": followups_snapshot(due)}
        await self._close_followups(due, "cancelled")
        await self._add_followup(deal, due_at, raw_text)
        await update_versioned(self.ctx, deal, updated_at=now)
        self.ctx.audit("deal.remind", "deal", deal.id, before=before, after={"due_at": due_at.isoformat()},
                       undoable=True)
        return deal

    @staticmethod
    def _require_open(deal: Deal) -> None:
        """A closed deal has nothing left to chase: no follow-up may be set on it."""
        if deal.stage in CLOSED:
            raise InvalidTransition("error.deal_closed", ref=f"#{deal.id}", stage=deal.stage)

    async def _touch_customer(self, customer_id: int) -> None:
        await touch_customer(self.ctx, customer_id, live_only=True)
