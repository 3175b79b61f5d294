"""撤销/undo: reverts the sender's last change within the undo window, leaving audit and history true."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from storage.dto import UndoResult
from storage.errors import NotFound
from storage.models import Activity, AuditEntry, Customer, Deal, FollowUp, StageChange
from storage.services.base import ServiceContext
from storage.services.snapshots import restore_customer, restore_deal, restore_followups


class UndoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def undo(self) -> UndoResult:
        user, now = self.ctx.user(), self.ctx.now()
        window = now - timedelta(minutes=self.ctx.pipeline.undo_minutes)
        entry = await self.ctx.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.actor_id == user.id, AuditEntry.undoable.is_(True), AuditEntry.undone_at.is_(None),
                   AuditEntry.at >= window)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(1)
        )
        if entry is None:
            raise NotFound("error.nothing_to_undo", minutes=self.ctx.pipeline.undo_minutes)
        before, after = entry.before or {}, entry.after or {}
        if entry.entity == "deal" and entry.entity_id is not None:
            await self._undo_deal(entry.action, entry.entity_id, before, after)
        elif entry.entity == "customer" and entry.entity_id is not None:
            await self._undo_pool(entry.entity_id, before)
        entry.undone_at = now
        self.ctx.audit(f"{entry.action}.undo", entry.entity, entry.entity_id, before=after, after=before)
        return UndoResult(entry.action, entry.entity, entry.entity_id)

    async def _undo_deal(self, action: str, deal_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        deal = await self.ctx.session.get_one(Deal, deal_id)
        now = self.ctx.now()
        if action == "deal.create":
            deal.deleted_at = now
            await self.ctx.session.execute(
                update(FollowUp).where(FollowUp.deal_id == deal_id, FollowUp.status == "open")
                .values(status="cancelled", closed_at=now))
            await self.ctx.session.execute(
                update(Activity).where(Activity.deal_id == deal_id).values(deleted_at=now))
            customer = await self.ctx.session.get_one(Customer, before["customer_id"])
            if before.get("created_customer"):
                customer.deleted_at = now
            elif before.get("customer"):
                restore_customer(customer, before["customer"])
            return
        stage_before = deal.stage
        if "deal" in before:
            restore_deal(deal, before["deal"])
        if "followups" in before:
            await restore_followups(self.ctx, deal_id, before["followups"])
        if action == "deal.log" and after.get("activity_id"):
            activity = await self.ctx.session.get(Activity, after["activity_id"])
            if activity is not None:
                activity.deleted_at = now
        if deal.stage != stage_before:
            self.ctx.session.add(StageChange(deal_id=deal.id, from_stage=stage_before, to_stage=deal.stage,
                                             changed_by=self.ctx.user().id, changed_at=now, reason="undo"))
        if action == "deal.assign":
            await self.ctx.session.execute(
                update(FollowUp).where(FollowUp.deal_id == deal_id, FollowUp.status == "open")
                .values(owner_id=deal.owner_id))
            if before.get("customer"):
                restore_customer(await self.ctx.session.get_one(Customer, deal.customer_id), before["customer"])
        deal.updated_at = now

    async def _undo_pool(self, customer_id: int, before: dict[str, Any]) -> None:
        customer = await self.ctx.session.get_one(Customer, customer_id)
        restore_customer(customer, before["customer"])
        for deal_id, owner_id in (before.get("deal_owners") or {}).items():
            deal = await self.ctx.session.get_one(Deal, int(deal_id))
            deal.owner_id = owner_id
        for deal_id, followups in (before.get("followups") or {}).items():
            await restore_followups(self.ctx, int(deal_id), followups)
