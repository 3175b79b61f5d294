"""Load generation for the serving benchmark (issue 3): signed Slack `/deal` commands and encrypted WeCom
callbacks, sent open-loop at a fixed rate or closed-loop from N connections, with ack latencies.

Open-loop latency is measured from the moment a request was due, not from when it left: a generator that
fell behind (or a server that made it wait) shows up in the figures instead of hiding (coordinated omission).
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.adapters.wecom.crypto import WecomCrypto
from tests.harness.fake_slack import command_body, sign
from tests.harness.fake_wecom import AES_KEY, CORP, TOKEN, callback_xml, sealed

Request = tuple[str, bytes, dict[str, str]]  # path with query, body, headers


def slack_commands(users: list[str], texts: list[str], response_base: str, channels: int = 1000) -> Iterator[Request]:
    """Endless signed `/deal` slash commands, each with its own trigger_id (its event key), spread over
    `channels` channels: Slack allows about one post per second per channel, and dealbot paces to that."""
    for n in itertools.count():
        trigger = f"trig-{uuid.uuid4().hex}"
        body = command_body(texts[n % len(texts)].format(n=n), user=users[n % len(users)], channel=f"C{n % channels}",
                            trigger=trigger, response_url=f"{response_base}{trigger}")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, int(time.time()))}
        yield "/slack/events", body.encode(), headers


def wecom_messages(users: list[str], texts: list[str]) -> Iterator[Request]:
    """Endless encrypted WeCom text callbacks, each with its own MsgId."""
    crypto = WecomCrypto(TOKEN, AES_KEY, CORP)
    run = uuid.uuid4().hex[:8]
    for n in itertools.count():
        plaintext = callback_xml(users[n % len(users)], text=texts[n % len(texts)].format(n=n),
                                 msg_id=f"{run}{n}", created=int(time.time()))
        query, body = sealed(crypto, plaintext, int(time.time()), nonce=str(100000 + n))
        yield f"/wecom/callback?{query}", body.encode(), {"Content-Type": "text/xml"}


@dataclass
class Result:
    mode: str
    sent: int = 0
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            return round(lat[min(len(lat) - 1, int(len(lat) * p))] * 1e3, 2) if lat else None

        return {"mode": self.mode, "sent": self.sent, "ok": self.ok, "errors": self.errors,
                "per_second": round(self.ok / self.seconds, 1) if self.seconds else None,
                "p50_ms": round(statistics.median(lat) * 1e3, 2) if lat else None,
                "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": pct(1.0)}


async def _post(http: aiohttp.ClientSession, base: str, request: Request, due: float, result: Result) -> None:
    path, body, headers = request
    try:
        async with http.post(base + path, data=body, headers=headers) as response:
            await response.read()
            status = response.status
    except aiohttp.ClientError:
        status = 0
    elapsed = time.perf_counter() - due
    if status == 200:
        result.ok += 1
        result.latencies.append(elapsed)
    else:
        result.errors += 1


def _prepared(requests: Iterator[Request], count: int) -> list[Request]:
    """Built (signed, encrypted) before the clock starts, so the generator only sends while measuring."""
    return list(itertools.islice(requests, count))


async def open_loop(base: str, requests: Iterator[Request], rate: float, seconds: float,
                    result: Result | None = None) -> Result:
    """`rate` requests per second for `seconds`, whatever the answers do."""
    result = result or Result(f"open {rate:g}/s")
    batch = _prepared(requests, int(rate * seconds))
    tasks: set[asyncio.Task[None]] = set()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http:
        start = time.perf_counter()
        for n, request in enumerate(batch):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(_post(http, base, request, due, result))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            result.sent += 1
        if tasks:
            await asyncio.wait(tasks)
        result.seconds = time.perf_counter() - start
    return result


async def closed_loop(base: str, requests: Iterator[Request], connections: int, seconds: float,
                      result: Result | None = None) -> Result:
    """`connections` clients, each sending its next request as soon as the previous one is answered."""
    result = result or Result(f"closed {connections} conns")
    batch = iter(_prepared(requests, int(seconds * 1500)))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as http:
        start = time.perf_counter()
        stop = start + seconds

        async def client() -> None:
            for request in batch:
                if time.perf_counter() >= stop:
                    return
                result.sent += 1
                await _post(http, base, request, time.perf_counter(), result)

        await asyncio.gather(*(client() for _ in range(connections)))
        result.seconds = time.perf_counter() - start
    return result


async def wait_ready(base: str, path: str = "/healthz", within: float = 30.0) -> None:
    deadline = time.perf_counter() + within
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(base + path) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{base} did not come up")
            await asyncio.sleep(0.1)


async def fake_stats(base: str) -> dict[str, int]:
    async with aiohttp.ClientSession() as http, http.get(base + "/stats") as response:
        data: dict[str, int] = await response.json()
        return data
