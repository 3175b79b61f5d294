"""The outbox worker's store port implemented on storage: each call is its own short transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.outbox_worker import OutboxItem
from reminders.deferred import PushRenderer
from reminders.render import DEALS_CARD
from storage.outbox import OutboxRepo
from storage.uow import UnitOfWorkFactory

LEASE = timedelta(seconds=60)
log = logging.getLogger("bot.outbox")


class StorageOutboxStore:
    def __init__(self, uow_factory: UnitOfWorkFactory, *, lease: timedelta = LEASE, locale: str = "zh-CN",
                 renderer: PushRenderer | None = None) -> None:
        self.uow_factory = uow_factory
        # Reminder cards stored as DealsCard are rendered here, from the deals as they are at delivery;
        # without a renderer (some tests) they go out as their stand-in text.
        self.renderer = renderer
        # Longer than any send may take: a row still leased is never handed to a second worker.
        self.lease = lease
        self.locale = locale

    async def claim(self, now: datetime, limit: int, platforms: Sequence[str | None]) -> list[OutboxItem]:
        async with self.uow_factory() as uow:
            rows = await OutboxRepo(uow).claim_due(now=now, limit=limit, lease=self.lease, platforms=platforms)
            await uow.commit()
        payloads: Sequence[Mapping[str, Any]] = [r.payload for r in rows]
        if self.renderer is not None and any(DEALS_CARD in p for p in payloads):
            try:
                async with self.uow_factory() as uow:
                    payloads = await self.renderer.render(uow, payloads, now)
            except Exception:  # the stand-in text still says what is due: better than holding the batch back
                log.exception("could not render %d claimed reminders; sending their text", len(payloads))
        return [OutboxItem(r.id, r.platform, r.target, p, r.attempts) for r, p in zip(rows, payloads, strict=True)]

    async def delivered(self, item_ids: Sequence[int], now: datetime) -> None:
        async with self.uow_factory() as uow:
            await OutboxRepo(uow).mark_delivered(item_ids, now)
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
