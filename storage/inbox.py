"""Inbox rows: an inbound event is recorded once, before its ack, and claimed by the one transaction
that handles it; platform retries find the key and are dropped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import InboxEvent
from storage.uow import UnitOfWork


class InboxRepo:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def receive(self, platform: str, event_key: str, event: dict[str, Any], now: datetime) -> bool:
        """Record an event before acknowledging it; False when the key is known (a retry)."""
        session = self.uow.session
        if await session.scalar(select(InboxEvent.id).where(InboxEvent.platform == platform,
                                                            InboxEvent.event_key == event_key)) is not None:
            return False
        session.add(InboxEvent(platform=platform, event_key=event_key, received_at=now, status="received",
                               event=event))
        await session.flush()
        return True

    async def claim(self, platform: str, event_key: str, now: datetime) -> bool:
        """Inside the handling transaction: True for the first handling of this event, else False."""
        session = self.uow.session
        query = select(InboxEvent).where(InboxEvent.platform == platform, InboxEvent.event_key == event_key)
        if self.uow.dialect == "postgresql":
            query = query.with_for_update()
        row = await session.scalar(query)
        if row is not None and row.status == "done":
            return False
        if row is None:
            # Events that never went through `receive` (the console) are recorded here. A concurrent
            # twin that got in first makes the flush fail; the dispatcher retries and sees "done".
            session.add(InboxEvent(platform=platform, event_key=event_key, received_at=now, status="done"))
        else:
            row.status, row.event = "done", None
        await session.flush()
        return True

    async def unhandled(self, older_than: datetime, limit: int = 100) -> list[dict[str, Any]]:
        """Events acknowledged but never handled (the process died): to handle again on start-up."""
        rows = await self.uow.session.scalars(
            select(InboxEvent).where(InboxEvent.status == "received", InboxEvent.received_at < older_than)
            .order_by(InboxEvent.id).limit(limit)
        )
        return [row.event for row in rows if row.event is not None]
