"""The inbound sink's store port on storage: each call is its own short transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from storage.inbox import InboxRepo
from storage.uow import UnitOfWorkFactory


class StorageInboxStore:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self.uow_factory = uow_factory
        self.clock = clock

    async def receive(self, platform: str, event_key: str, event: dict[str, Any]) -> bool:
        async with self.uow_factory() as uow:
            try:
                fresh = await InboxRepo(uow).receive(platform, event_key, event, self.clock())
                await uow.commit()
            except IntegrityError:  # the same event arrived twice at the same moment
                return False
            return fresh

    async def unhandled(self, older_than: datetime) -> list[dict[str, Any]]:
        async with self.uow_factory() as uow:
            return await InboxRepo(uow).unhandled(older_than)
