"""The processing process of a split `dealbot serve`: claims the events the acknowledging process recorded
(bot/core/processing.py), handles them, delivers the outbox and runs the scheduler.

It is forked by `serve` and woken through a pipe: a byte per recorded event, end of file when serving
stops. It then finishes the events it claimed, delivers their replies, and exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.process import BaseProcess

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import metrics
from bot.adapters.base import Adapter
from bot.adapters.registry import enabled_adapters
from bot.app import App, build_app
from bot.core.processing import InboxProcessor
from bot.inbox_store import StorageInboxStore
from bot.loops import new_event_loop
from bot.outbox_worker import OutboxWorker, deliver_until
from bot.server import POLL_SECONDS, prepare_handling, start_scheduler
from config import Settings
from storage.engine import inbox_database, is_sqlite, make_inbox_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory


@dataclass
class Processing:
    app: App
    adapters: list[Adapter]
    processor: InboxProcessor
    worker: OutboxWorker
    inbox_engine: AsyncEngine | None  # the inbox's own database (SQLite), closed at the end
    kick: asyncio.Event = field(default_factory=asyncio.Event)


def build_processing(settings: Settings, clock: Callable[[], datetime] | None = None,
                     adapters: list[Adapter] | None = None) -> Processing:
    app = build_app(settings, clock) if clock else build_app(settings)
    adapters = enabled_adapters(settings, app.clock) if adapters is None else adapters
    # Few handlers at once, as in one-process serving: SQLite has one writer, PostgreSQL a small pool.
    handlers = 1 if is_sqlite(settings.database.url) else min(2, settings.database.pool_size)
    store, inbox_engine = _inbox_store(settings, app)
    processor = InboxProcessor(app.dispatcher, store, app.clock, handlers=handlers,
                               lease_seconds=settings.server.claim_lease_seconds,
                               observe=metrics.HANDLE_SECONDS.observe)
    worker = app.worker({a.platform: a.sender for a in adapters}, notice_platform=None)
    processing = Processing(app, adapters, processor, worker, inbox_engine)
    app.dispatcher.on_commit = processing.kick.set
    return processing


def _inbox_store(settings: Settings, app: App) -> tuple[StorageInboxStore, AsyncEngine | None]:
    inbox = inbox_database(settings.database)
    if inbox.url == settings.database.url:
        return StorageInboxStore(app.uow_factory, app.clock), None
    engine = make_inbox_engine(inbox)
    return StorageInboxStore(UnitOfWorkFactory(make_sessionmaker(engine)), app.clock, engine, separate=True), engine


async def run_processing(processing: Processing) -> None:
    """Until `processing.processor.stop()`: handle, deliver, schedule; then deliver what is left and close."""
    stop = asyncio.Event()
    delivering = asyncio.create_task(deliver_until(processing.worker, processing.kick, stop, POLL_SECONDS))
    scheduler = start_scheduler(processing.app)
    prepare_handling()
    try:
        await processing.processor.run()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        stop.set()
        await delivering
        for adapter in processing.adapters:
            await adapter.stop()
        if processing.inbox_engine is not None:
            await processing.inbox_engine.dispose()
        await processing.app.close()


def start_processing_process(settings: Settings) -> tuple[BaseProcess, int]:
    """Fork the processing process; returns it and the pipe's write end that wakes it.

    What only the processing process uses (handlers, services, the matcher's lazy imports: pypinyin's
    tables alone are ~55 MB) is loaded before the fork, then frozen out of the collector's sight. The two
    processes then share those pages instead of each holding its own copy, and the collector's passes do
    not write to every shared object and copy the pages apart (the gc.freeze() pattern for forking
    servers). The serving process never touches them; docs/benchmarks.md, "Serving", has the memory."""
    prepare_handling()  # this module's imports brought the handlers and services in already
    read_fd, write_fd = os.pipe()
    # fork, not spawn: the settings (with secrets and command-line overrides) are simply inherited, and
    # nothing that must not be copied (an event loop, a connection, a thread) exists yet.
    process = multiprocessing.get_context("fork").Process(
        target=_main, args=(settings, read_fd, write_fd), name="dealbot-processing")
    process.start()
    os.close(read_fd)
    os.set_blocking(write_fd, False)
    return process, write_fd


def _main(settings: Settings, read_fd: int, write_fd: int) -> None:
    os.close(write_fd)  # else this process would never see end of file on its own pipe
    # Ctrl-C reaches the whole process group: the serving process decides when this one stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(settings.server.processing_nice)  # when both share a core, the acks go first
    sys.setswitchinterval(0.0005)
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(_run(settings, read_fd))


async def _run(settings: Settings, read_fd: int) -> None:
    processing = build_processing(settings)
    loop = asyncio.get_running_loop()
    os.set_blocking(read_fd, False)

    def readable() -> None:
        try:
            data = os.read(read_fd, 65536)
        except BlockingIOError:
            return
        if data:
            processing.processor.wake()
        else:  # the serving process closed its end: it is stopping (or gone)
            loop.remove_reader(read_fd)
            processing.processor.stop()

    loop.add_reader(read_fd, readable)
    loop.add_signal_handler(signal.SIGTERM, processing.processor.stop)
    await run_processing(processing)
