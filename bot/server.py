"""`dealbot serve`: one aiohttp server for every enabled platform, the outbox worker and health/metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.adapters.base import Adapter
from bot.adapters.registry import enabled_adapters
from bot.app import App, build_app
from bot.core.sink import InboundSink
from bot.inbox_store import StorageInboxStore
from bot.loops import new_event_loop
from bot.outbox_worker import OutboxWorker, deliver_until
from config import Settings
from storage.engine import is_sqlite, make_inbox_engine
from storage.matching.warm import warm_up

log = logging.getLogger("bot.server")
POLL_SECONDS = 0.05


@dataclass
class Server:
    """Everything `serve` runs; tests build it the same way and drive it over real HTTP."""

    app: App
    adapters: list[Adapter]
    sink: InboundSink
    inbox: StorageInboxStore
    worker: OutboxWorker
    web: web.Application
    kick: asyncio.Event = field(default_factory=asyncio.Event)

    async def run_worker(self, stop: asyncio.Event) -> None:
        """Deliver as soon as something is committed (kicked) and at least every POLL_SECONDS."""
        await deliver_until(self.worker, self.kick, stop, POLL_SECONDS)


def build_server(settings: Settings, clock: Callable[[], datetime] | None = None,
                 adapters: list[Adapter] | None = None) -> Server:
    app = build_app(settings, clock) if clock else build_app(settings)
    adapters = enabled_adapters(settings, app.clock) if adapters is None else adapters
    # The inbox writes that precede every ack get their own connection (group-committed, see
    # bot/inbox_store.py); handlers are limited to what the main pool can serve (one SQLite connection).
    inbox = StorageInboxStore(app.uow_factory, app.clock, make_inbox_engine(settings.database))
    # Few handlers at once: on one busy core every extra handler coroutine is one more step an ack waits behind.
    handlers = 1 if is_sqlite(settings.database.url) else min(2, settings.database.pool_size)
    sink = InboundSink(app.dispatcher, inbox, handlers=handlers)
    worker = app.worker({a.platform: a.sender for a in adapters}, notice_platform=None)
    web_app = web.Application()
    server = Server(app, adapters, sink, inbox, worker, web_app)
    app.dispatcher.on_commit = server.kick.set
    add_ops_routes(web_app)
    for adapter in adapters:
        adapter.install(web_app, sink)
    web_app.cleanup_ctx.append(_background(server))
    return server


def _background(server: Server) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(_: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        for adapter in server.adapters:
            await adapter.start(server.sink)
        await server.sink.recover(server.app.clock())
        worker = asyncio.create_task(server.run_worker(stop))
        scheduler = start_scheduler(server.app)
        prepare_handling()
        yield
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        # Finish what was acknowledged, then deliver what it wrote, and only then close the senders.
        await server.sink.tasks.drain()
        stop.set()
        await worker
        for adapter in server.adapters:
            await adapter.stop()
        await server.inbox.close()
        await server.inbox.engine.dispose()
        await server.app.close()

    return run


def start_scheduler(app: App) -> AsyncIOScheduler | None:
    """Reminders and digests, when enabled; safe to run in several instances at once (dedupe keys in the
    database)."""
    if not app.settings.reminders.enabled:
        return None
    from reminders.scheduler import build_scheduler

    scheduler = build_scheduler(app.settings, app.uow_factory, app.clock, cipher=app.cipher)
    scheduler.start()
    return scheduler


def prepare_handling() -> None:
    """For a process that handles commands: the matcher's lazy imports loaded now (not on a rep's first
    lookup), then every start-up object frozen."""
    warm_up()
    freeze_startup_objects()


def freeze_startup_objects() -> None:
    """Everything loaded so far (modules, catalogs, lexicons, SDK clients) lives as long as the process:
    moved out of the cyclic collector's sight, so a full collection during a request scans only what
    requests create (a long collection is a latency spike at p99)."""
    gc.collect()
    gc.freeze()


def add_ops_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/healthz", _healthz)
    web_app.router.add_get("/metrics", _metrics)


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _metrics(request: web.Request) -> web.Response:
    return web.Response(body=metrics.render(), content_type="text/plain")


def serve(settings: Settings, host: str | None, port: int | None) -> None:
    # aiosqlite runs each statement on a thread; on a busy core that thread waited up to the default 5 ms
    # switch interval for the GIL at every statement (the inbox write before each ack included).
    sys.setswitchinterval(0.0005)
    if settings.server.processing == "separate":
        from bot.front import serve_split

        serve_split(settings, host, port)
        return
    server = build_server(settings)
    announce(server.adapters, settings, host, port, "")
    web.run_app(server.web, host=host or settings.server.host, port=port or settings.server.port,
                print=None, access_log=None, loop=new_event_loop())


def announce(adapters: list[Adapter], settings: Settings, host: str | None, port: int | None, how: str) -> None:
    names = ", ".join(a.platform for a in adapters) or "no platform (enable one in dealbot.toml)"
    print(f"dealbot serving {names} on http://{host or settings.server.host}:{port or settings.server.port}{how}",
          flush=True)
