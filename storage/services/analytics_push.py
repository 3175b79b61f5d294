"""What scheduled reports need from storage: the teams, and an outbox write that happens once per dedupe key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.analytics_dto import TeamInfo
from storage.models import OutboxMessage, Team
from storage.outbox import OutboxRepo
from storage.uow import UnitOfWork


async def list_teams(uow: UnitOfWork) -> list[TeamInfo]:
    rows = await uow.session.scalars(select(Team).order_by(Team.id))
    return [TeamInfo(t.id, t.name, t.tz, t.locale, t.country) for t in rows]


async def already_queued(uow: UnitOfWork, dedupe_key: str) -> bool:
    """True when a push with this key exists (pending, delivered or dead): build nothing, send nothing."""
    found = await uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    return found is not None


async def enqueue_once(uow: UnitOfWork, *, dedupe_key: str, target: dict[str, Any], payload: dict[str, Any],
                       kind: str, now: datetime) -> bool:
    """Enqueue unless the key is taken; a twin scheduler that wins the race makes this return False.

    The insert runs in a savepoint, so losing the race on the unique key leaves the caller's
    transaction usable.
    """
    try:
        async with uow.session.begin_nested():
            added = await OutboxRepo(uow).enqueue(target=target, payload=payload, kind=kind, dedupe_key=dedupe_key,
                                                  now=now)
    except IntegrityError:
        return False
    return added is not None
