"""The acknowledging process of a split `dealbot serve`: verify, record in the inbox, wake the processing
process, acknowledge. No handlers, services or matcher run here, so an ack never waits behind their work
(docs/delivery.md, "Two processes"); bot/processing_process.py handles what this process records."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from bot.adapters.base import Adapter
from bot.adapters.registry import enabled_adapters
from bot.core.clock import system_clock
from bot.core.sink import RecordingSink
from bot.inbox_store import StorageInboxStore
from bot.loops import new_event_loop
from bot.server import add_ops_routes, announce, freeze_startup_objects
from config import Settings
from storage.engine import inbox_database, make_inbox_engine

log = logging.getLogger("bot.front")


@dataclass
class Front:
    adapters: list[Adapter]
    sink: RecordingSink
    inbox: StorageInboxStore
    web: web.Application


def build_front(settings: Settings, wake: Callable[[], None], clock: Callable[[], datetime] = system_clock,
                adapters: list[Adapter] | None = None) -> Front:
    adapters = enabled_adapters(settings, clock) if adapters is None else adapters
    inbox = StorageInboxStore(None, clock, make_inbox_engine(inbox_database(settings.database)))
    sink = RecordingSink(inbox, wake)
    web_app = web.Application()
    front = Front(adapters, sink, inbox, web_app)
    add_ops_routes(web_app)
    for adapter in adapters:
        adapter.install(web_app, sink)
    web_app.cleanup_ctx.append(_lifetime(front))
    return front


def _lifetime(front: Front) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(_: web.Application) -> AsyncIterator[None]:
        for adapter in front.adapters:
            await adapter.start(front.sink)
        freeze_startup_objects()
        yield
        for adapter in front.adapters:
            await adapter.stop()
        await front.inbox.close()
        await front.inbox.engine.dispose()

    return run


def pipe_waker(write_fd: int) -> Callable[[], None]:
    """Wakes the processing process: one byte on a non-blocking pipe per recorded event."""

    def wake() -> None:
        # A full pipe means the other process has wake-ups waiting already.
        with contextlib.suppress(BlockingIOError):
            os.write(write_fd, b"\0")

    return wake


def serve_split(settings: Settings, host: str | None, port: int | None) -> None:
    """Start the processing process first (forked before any event loop, engine or thread exists here),
    then serve; stop it when serving stops, and stop serving if it dies (events stay recorded)."""
    from bot.processing_process import start_processing_process

    process, write_fd = start_processing_process(settings)
    front = build_front(settings, pipe_waker(write_fd))
    front.web.cleanup_ctx.append(_watch(process.sentinel))
    announce(front.adapters, settings, host, port, f" (events handled by process {process.pid})")
    try:
        web.run_app(front.web, host=host or settings.server.host, port=port or settings.server.port,
                    print=None, access_log=None, loop=new_event_loop())
    finally:
        os.close(write_fd)  # end of file: the processing process finishes what it claimed, delivers, exits
        process.join(timeout=60)
        if process.is_alive():
            log.error("the processing process did not stop within 60 s; terminating it")
            process.terminate()
            process.join(timeout=5)
    if process.exitcode != 0:  # it died first: exit non-zero so the supervisor restarts dealbot
        raise SystemExit(f"dealbot: the processing process stopped (exit code {process.exitcode})")


def _watch(sentinel: int) -> Callable[[web.Application], AsyncIterator[None]]:
    """Serving without a processing process would record events nobody handles: stop, so the supervisor
    (systemd, Kubernetes) restarts both; the recorded events are handled after the restart."""

    async def run(_: web.Application) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()

        def died() -> None:
            loop.remove_reader(sentinel)
            log.error("the processing process stopped; stopping the server")
            raise web.GracefulExit()

        loop.add_reader(sentinel, died)
        yield
        loop.remove_reader(sentinel)

    return run
