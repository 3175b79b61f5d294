"""The inbound sink's store port on storage: inbox writes are group-committed on their own connection, so an
ack waits for one short INSERT (shared with the events that arrived meanwhile), never for handler work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.inbox import InboxRepo, NewEvent, claim_received, insert_new, mark_claims, release_claims
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("bot.inbox_store")
T = TypeVar("T")
Waiter = tuple[NewEvent, "asyncio.Future[bool]"]


class StorageInboxStore:
    """`receive` returns once the event is committed. Events arriving while a commit is in flight are written
    together by the next one (group commit: one statement, one fsync, every ack of the group waits for it)."""

    def __init__(self, uow_factory: UnitOfWorkFactory | None, clock: Callable[[], datetime],
                 engine: AsyncEngine | None = None, *, separate: bool = False) -> None:
        # The acknowledging process of a split `serve` records only: no unit of work, the inbox engine alone.
        self.uow_factory = uow_factory
        self.clock = clock
        # True when the inbox is not in the database the events are handled in (SQLite, two processes):
        # the handling transaction then cannot mark the row, so `handled` does, right after it.
        self.separate = separate
        # Tests build the store on the app's own engine; `serve` passes storage.engine.make_inbox_engine's.
        if engine is None:
            assert uow_factory is not None, "an inbox store needs an engine or a unit-of-work factory"
            engine = uow_factory.sessions.kw["bind"]
        self.engine: AsyncEngine = engine
        self._waiting: list[Waiter] = []
        self._writer: asyncio.Task[None] | None = None

    async def receive(self, platform: str, event_key: str, event: dict[str, Any]) -> bool:
        """Durably record the event; False when it was seen before (a platform retry)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(((platform, event_key, event), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_groups())
        return await future

    async def _write_groups(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                await self._write(group)
            except Exception:
                if len(group) == 1:
                    log.exception("inbox write failed", extra={"event_key": group[0][0][1]})
                    _fail(group)
                    continue
                # One bad event (or a dropped connection) must not refuse the others: write them one by one.
                for waiter in group:
                    try:
                        await self._write([waiter])
                    except Exception:
                        log.exception("inbox write failed", extra={"event_key": waiter[0][1]})
                        _fail([waiter])

    async def _write(self, group: list[Waiter]) -> None:
        unique: dict[tuple[str, str], NewEvent] = {}
        for (platform, key, event), _ in group:
            unique.setdefault((platform, key), (platform, key, event))
        async with self.engine.connect() as conn:
            fresh = await insert_new(conn, list(unique.values()), self.clock())
            if conn.in_transaction():  # the app's own engine (tests): not AUTOCOMMIT, so commit here
                await conn.commit()
        for (platform, key, _), future in group:
            if future.cancelled():  # the request went away; a twin later in the group may still take it
                continue
            future.set_result((platform, key) in fresh)
            fresh.discard((platform, key))  # a twin later in the group is a duplicate

    async def close(self) -> None:
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    async def unhandled(self, older_than: datetime) -> list[dict[str, Any]]:
        async with self._uow() as uow:
            return await InboxRepo(uow).unhandled(older_than)

    async def claim(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """For the processing process: take up to `limit` recorded events, oldest first."""
        return await self._committed(claim_received, limit, self.clock())

    async def release_stale(self, claimed_before: datetime) -> int:
        return await self._committed(release_claims, claimed_before)

    async def handled(self, inbox_id: int) -> None:
        if self.separate:
            await self._committed(mark_claims, [inbox_id], "done")

    async def failed(self, inbox_id: int) -> None:
        await self._committed(mark_claims, [inbox_id], "failed")

    async def _committed(self, statement: Callable[..., Awaitable[T]], *args: Any) -> T:
        """One storage.inbox statement in a transaction of its own."""
        async with self._uow() as uow:
            result = await statement(await uow.session.connection(), *args)
            await uow.commit()
        return result

    def _uow(self) -> UnitOfWork:
        assert self.uow_factory is not None, "this inbox store only records events"
        return self.uow_factory()


def _fail(group: list[Waiter]) -> None:
    for _, future in group:
        if not future.done():
            future.set_exception(RuntimeError("the event could not be recorded"))
