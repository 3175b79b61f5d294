"""What every service shares: the unit of work, the clock, the actor, settings, audit writing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor, UserView
from storage.errors import NotAllowed
from storage.models import AuditEntry
from storage.uow import UnitOfWork

_AUDIT = cast(Table, AuditEntry.__table__)


@dataclass(slots=True)
class ServiceContext:
    uow: UnitOfWork
    clock: Callable[[], datetime]
    actor: Actor
    pipeline: PipelineSettings
    cipher: ContactCipher

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @property
    def for_update(self) -> bool:
        """Row locks only where the database has them; SQLite serializes writers anyway."""
        return self.uow.dialect == "postgresql"

    def now(self) -> datetime:
        return self.clock()

    def user(self) -> UserView:
        if self.actor.user is None:
            raise NotAllowed("error.unknown_user")
        return self.actor.user

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        undoable: bool = False,
    ) -> None:
        """One audit row, written when the unit of work commits (nothing reads it back before)."""
        user = self.actor.user
        self.uow.defer_insert(_AUDIT, {
            "actor_id": user.id if user else None, "action": action, "entity": entity, "entity_id": entity_id,
            "platform": self.actor.platform, "message_id": self.actor.message_id, "before": before,
            "after": after, "at": self.now(), "undoable": undoable, "undone_at": None,
        })
