"""A rep's reminder switches (提醒 关闭 日报 / remind off digest): which kinds of pushes they get."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import ReminderPref
from storage.services.base import ServiceContext

KINDS = ("nudge", "overdue", "stale", "pool", "digest")


class ReminderPrefService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def set(self, kinds: tuple[str, ...], enabled: bool) -> list[str]:
        """Switch the actor's kinds on or off; returns the kinds now off."""
        user = self.ctx.user()
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"unknown reminder kind {kind!r}")
            query = select(ReminderPref).where(ReminderPref.user_id == user.id, ReminderPref.kind == kind)
            if self.ctx.for_update:
                query = query.with_for_update()
            pref = await self.ctx.session.scalar(query)
            before = pref.enabled if pref else True
            if pref is None:
                pref = ReminderPref(user_id=user.id, kind=kind, enabled=enabled, updated_at=self.ctx.now())
                self.ctx.session.add(pref)
            pref.enabled, pref.updated_at = enabled, self.ctx.now()
            self.ctx.audit("reminder.pref", "user", user.id, before={"kind": kind, "enabled": before},
                           after={"kind": kind, "enabled": enabled})
        await self.ctx.session.flush()
        return await self.off()

    async def off(self) -> list[str]:
        user = self.ctx.user()
        rows = await self.ctx.session.scalars(
            select(ReminderPref.kind).where(ReminderPref.user_id == user.id, ReminderPref.enabled.is_(False)))
        return sorted(set(rows), key=KINDS.index)
