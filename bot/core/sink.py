"""Inbound sink: record an event durably, let the adapter acknowledge, then handle it in a tracked task."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.core.dispatch import Dispatcher, TaskSet
from bot.core.messages import InboundEvent, event_from_dict, event_to_dict

log = logging.getLogger("bot.sink")


class InboxStore(Protocol):
    async def receive(self, platform: str, event_key: str, event: dict[str, Any]) -> bool:
        """Durably record the event; False when it was seen before (a platform retry)."""

    async def unhandled(self, older_than: datetime) -> list[dict[str, Any]]: ...


class InboundSink:
    """What adapters hand events to. `submit` returns once the event is on disk, before it is handled.

    At most `handlers` events are handled at once (the rest wait their turn, in order): a burst then
    queues here instead of on the database pool, and the acks that share the event loop with the
    handlers wait for a few handler steps, not for hundreds.
    """

    def __init__(self, dispatcher: Dispatcher, inbox: InboxStore, tasks: TaskSet | None = None,
                 *, handlers: int = 4) -> None:
        self.dispatcher = dispatcher
        self.inbox = inbox
        self.tasks = tasks or TaskSet()
        self._turns = asyncio.Semaphore(handlers)

    async def submit(self, event: InboundEvent) -> bool:
        """True for a new event (now being handled), False for a duplicate delivery."""
        if not await _record(self.inbox, event):
            return False
        self.tasks.spawn(self._handle(event))
        return True

    async def _handle(self, event: InboundEvent) -> None:
        try:
            async with self._turns:
                await self.dispatcher.handle(event)
        except Exception:  # the dispatcher answers errors itself; this is the last guard for the task
            log.exception("event handling failed", extra={"event_key": event.event_key})

    async def recover(self, now: datetime, grace: timedelta = timedelta(seconds=30)) -> int:
        """Handle events that were acknowledged but never handled (the process died in between)."""
        rows = await self.inbox.unhandled(now - grace)
        for row in rows:
            self.tasks.spawn(self._handle(event_from_dict(row)))
        return len(rows)


class RecordingSink:
    """What adapters hand events to when another process handles them (bot/core/processing.py): record the
    event, wake that process, and return, so the ack waits for the inbox write alone."""

    def __init__(self, inbox: InboxStore, wake: Callable[[], None]) -> None:
        self.inbox = inbox
        self.wake = wake

    async def submit(self, event: InboundEvent) -> bool:
        if not await _record(self.inbox, event):
            return False
        self.wake()
        return True


async def _record(inbox: InboxStore, event: InboundEvent) -> bool:
    """Durably record the event; False for a platform retry of one recorded before."""
    return await inbox.receive(event.conversation.platform.value, event.event_key, event_to_dict(event))
