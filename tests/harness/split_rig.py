"""dealbot serving Slack the way `serve` does by default: an acknowledging front that only records events,
and a processing side that claims and handles them. Both run in the test's event loop here, so a test
can look at either; the fork and the wake-up pipe are driven through the real `dealbot serve`
(tests/e2e/test_serve_process.py)."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.adapters.slack import SlackAdapter
from bot.app import App
from bot.commands import ensure_database
from bot.front import build_front
from bot.processing_process import build_processing, run_processing
from storage.engine import inbox_database
from storage.models import InboxEvent
from tests.harness.fake_slack import SlackRig


class SplitSlackRig(SlackRig):
    def __init__(self, database_url: str, *, processing: bool = True) -> None:
        super().__init__(database_url)
        self.autostart = processing  # False: only the acknowledging side runs until `start_processing`

    async def __aenter__(self) -> SplitSlackRig:
        await self.fake.start()
        self.settings = self.make_settings()
        await ensure_database(inbox_database(self.settings.database))  # a SQLite inbox has a file of its own
        self.adapter = SlackAdapter(self.settings.slack, self.clock, timeout=self.timeout)
        # As in the two real processes, each side has its own adapter: the front's receives, the other's sends.
        sender_side = SlackAdapter(self.settings.slack, self.clock, timeout=self.timeout)
        self.processing = build_processing(self.settings, self.clock, adapters=[sender_side])
        self.wakeups = 0
        self.front = build_front(self.settings, self._wake, self.clock, adapters=[self.adapter])
        self.processing_task: asyncio.Task[None] | None = None
        self.client = TestClient(TestServer(self.front.web, host="127.0.0.1"))
        await self.client.start_server()
        if self.autostart:
            self.start_processing()
        return self

    def _wake(self) -> None:
        self.wakeups += 1
        self.processing.processor.wake()

    def start_processing(self) -> None:
        self.processing_task = asyncio.create_task(run_processing(self.processing))

    async def stop_processing(self) -> None:
        """As when `serve` stops: the processing side finishes what it claimed, delivers, and closes."""
        if self.processing_task is not None:
            self.processing.processor.stop()
            await self.processing_task
            self.processing_task = None

    @property
    def app(self) -> App:
        return self.processing.app

    async def recorded(self) -> list[str]:
        """Statuses of the events the acknowledging side recorded, oldest first."""
        async with self.front.inbox.engine.connect() as conn:
            return list((await conn.execute(select(InboxEvent.status).order_by(InboxEvent.id))).scalars())

    async def __aexit__(self, *exc: object) -> None:
        assert self.client is not None
        await self.client.close()
        await self.stop_processing()
        await self.fake.close()
