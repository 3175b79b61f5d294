"""The admin's view of the outbox (`dealbot outbox list|retry|purge`) and the daily dead-letter report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from storage.models import OutboxMessage, User
from storage.outbox import OutboxRepo
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    kind: str
    status: str  # pending | retried (pending after a failure) | delivered | dead
    attempts: int
    platform: str | None
    target: dict[str, Any]
    payload: dict[str, Any]
    dedupe_key: str | None
    not_before: datetime
    created_at: datetime
    delivered_at: datetime | None
    last_error: str | None


class OutboxAdmin:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def list(self, *, include_delivered: bool = False, limit: int = 500) -> list[OutboxEntry]:
        query = select(OutboxMessage).order_by(OutboxMessage.id).limit(limit)
        if not include_delivered:
            query = query.where(OutboxMessage.status != "delivered")
        rows = await self.uow.session.scalars(query)
        return [OutboxEntry(r.id, r.kind, "retried" if r.status == "pending" and r.last_error else r.status,
                            r.attempts, r.platform, r.target, r.payload, r.dedupe_key, r.not_before, r.created_at,
                            r.delivered_at, r.last_error) for r in rows]

    async def retry(self, now: datetime, ids: Sequence[int] = (), *, dead: bool = False) -> int:
        """Put the given rows (or every dead one) back in the queue, due now, with a fresh attempt count."""
        query = update(OutboxMessage).where(OutboxMessage.status != "delivered")
        query = query.where(OutboxMessage.status == "dead") if dead else query.where(OutboxMessage.id.in_(list(ids)))
        result = await self.uow.session.execute(
            query.values(status="pending", attempts=0, not_before=now, lease_until=None))
        return int(getattr(result, "rowcount", 0) or 0)

    async def purge(self, before: datetime) -> int:
        """Delete delivered rows older than `before` (dedupe of reminders lives in reminder_marks)."""
        result = await self.uow.session.execute(
            delete(OutboxMessage).where(OutboxMessage.status == "delivered", OutboxMessage.delivered_at < before))
        return int(getattr(result, "rowcount", 0) or 0)

    async def dead_count(self) -> int:
        count = await self.uow.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "dead"))
        return int(count or 0)

    async def report_dead(self, now: datetime, text: str) -> int:
        """A push to every admin, once a day (`dead_letter_report:{date}:{login}`); returns how many new."""
        admins = list(await self.uow.session.scalars(
            select(User.login).where(User.role == "admin", User.active.is_(True)).order_by(User.login)))
        added = 0
        for login in admins:
            target = {"kind": "user", "name": login}
            payload = {"body": {"type": "text", "text": text}, "mode": "in_conversation",
                       "data": {"push": "dead_letter_report"}, "to": target}
            key = f"dead_letter_report:{now.date().isoformat()}:{login}"
            added += await OutboxRepo(self.uow).enqueue(target=target, payload=payload, now=now, kind="notice",
                                                        dedupe_key=key) is not None
        return added
