"""The outbox worker's store port implemented on storage: each call is its own short transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_

from bot.outbox_worker import OutboxItem
from storage.models import OutboxMessage
from storage.outbox import OutboxRepo
from storage.uow import UnitOfWorkFactory

LEASE = timedelta(seconds=60)


class StorageOutboxStore:
    def __init__(self, uow_factory: UnitOfWorkFactory, *, lease: timedelta = LEASE, locale: str = "zh-CN") -> None:
        self.uow_factory = uow_factory
        # Longer than any send may take: a row still leased is never handed to a second worker.
        self.lease = lease
        self.locale = locale

    async def claim(self, now: datetime, limit: int, platforms: Sequence[str | None]) -> list[OutboxItem]:
        async with self.uow_factory() as uow:
            named = [p for p in platforms if p is not None]
            condition: ColumnElement[bool] = OutboxMessage.platform.in_(named)
            if None in platforms:
                condition = or_(condition, OutboxMessage.platform.is_(None))
            rows = await OutboxRepo(uow).claim_due(now=now, limit=limit, lease=self.lease, where=condition)
            items = [OutboxItem(r.id, r.platform, r.target, r.payload, r.attempts) for r in rows]
            await uow.commit()
            return items

    async def delivered(self, item_id: int, now: datetime) -> None:
        async with self.uow_factory() as uow:
            await OutboxRepo(uow).mark_delivered(item_id, now)
            await uow.commit()

    async def retry(self, item_id: int, at: datetime, error: str, dead: bool, refund: bool = False) -> None:
        async with self.uow_factory() as uow:
            await OutboxRepo(uow).mark_retry(item_id, at=at, error=error, dead=dead, refund=refund)
            await uow.commit()

    async def report_dead(self, now: datetime) -> None:
        """Tell every admin, once a day, how many pushes are dead-lettered."""
        from bot.core import i18n
        from handlers.catalog import load_catalogs
        from storage.services.outbox_admin import OutboxAdmin

        if not i18n.has("deadletter.report", self.locale):
            load_catalogs()
        async with self.uow_factory() as uow:
            admin = OutboxAdmin(uow)
            count = await admin.dead_count()
            if count:
                await admin.report_dead(now, i18n.t("deadletter.report", self.locale, count=count))
                await uow.commit()
