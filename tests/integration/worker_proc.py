"""An outbox worker in its own process, for the kill -9 test: a fake platform that records every message
it receives (one line per push, appended to a file, which survives SIGKILL), fails a share of sends and
times out on another share *after* the message arrived (the case that makes duplicates).

    python tests/integration/worker_proc.py URL RECORD_FILE FAIL TIMEOUT SEED
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.adapters.base import Delivered, RetryLater, SendResult
from bot.core.clock import system_clock
from bot.core.replies import Reply
from bot.outbox_store import StorageOutboxStore
from bot.outbox_worker import OutboxWorker
from config import DatabaseSettings
from storage.engine import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory


class FlakyPlatform:
    def __init__(self, record: str, fail: float, timeout: float, seed: int) -> None:
        self.fd = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.fail, self.timeout = fail, timeout
        self.rnd = random.Random(seed)

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        await asyncio.sleep(0)
        roll = self.rnd.random()
        if roll < self.fail:
            return RetryLater("HTTP 503")
        os.write(self.fd, (json.dumps(reply.data.get("followup_ids", [])) + "\n").encode())
        if roll < self.fail + self.timeout:
            return RetryLater("timed out (the platform may have it)")
        return Delivered()


async def main(url: str, record: str, fail: float, late: float, seed: int) -> None:
    engine = make_engine(DatabaseSettings(url=url, pool_size=10))
    store = StorageOutboxStore(UnitOfWorkFactory(make_sessionmaker(engine)), lease=timedelta(seconds=3))
    worker = OutboxWorker(store, {"fake": FlakyPlatform(record, fail, late, seed)}, system_clock,
                          resolver=_Everything(), max_attempts=100, concurrency=8, backoff_scale=0.01)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await worker.run_forever(stop, poll_interval=0.05)
    await engine.dispose()


class _Everything:
    """Every push goes to the fake platform."""

    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        return "fake", dict(target)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])))
