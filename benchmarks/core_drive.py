"""Drives chat commands through the real dispatcher in process and times each one.

A command's latency is `await app.dispatcher.handle(event)`: inbox dedupe, sender lookup, parsing,
the services' queries and writes, the replies written to the outbox, and the commit. Delivering the
outbox (what the worker does after) is timed apart: per command in the sequential run, as a whole
after the concurrent run. Every reply is checked, so a fast run of refusals cannot pass for a result.

The paced mode is an open loop, as a team's traffic is: commands arrive at a set rate (Poisson) from
random reps whether or not the earlier ones are done, the outbox worker delivers beside them as in
`serve`, and a command's latency runs from its arrival, so time spent queued behind others counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.core_load import NOW, Fixture
from bot.adapters.base import Delivered, SendResult
from bot.app import App
from bot.console import console_event
from bot.core.replies import Reply
from bot.outbox_worker import deliver_until

KINDS = ("new", "log", "move", "who", "mine")
LABELS = {"new": "新建", "log": "跟进", "move": "推进", "who": "查", "mine": "我的"}
_AMOUNTS = ("50万", "12.5万", "8w", "300000元", "1.2亿", "20k", "")
_WHEN = ("周五下午3点", "明天上午10点", "下周一", "3天后", "下周三下午2点半", "12月5日")
_LOG_NOTES = ("电话沟通，客户确认预算", "上门拜访采购经理", "微信发了方案", "开会演示产品", "发送报价邮件")


class CountingSender:
    """Stands for a chat platform: accepts every reply instantly and counts them."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        self.sent += 1
        return Delivered()


@dataclass
class Run:
    """Latencies of one command kind in one mode."""

    kind: str
    mode: str  # sequential | concurrent | paced
    senders: int
    latencies: list[float] = field(default_factory=list)  # seconds, dispatcher.handle only
    drains: list[float] = field(default_factory=list)  # seconds per command (sequential)
    drain_total: float = 0.0  # seconds to deliver everything the run enqueued (concurrent)
    delivered: int = 0
    wall: float = 0.0
    failures: int = 0
    first_failure: str = ""

    def summary(self) -> dict[str, Any]:
        count = len(self.latencies)
        return {
            "command": LABELS[self.kind], "kind": self.kind, "mode": self.mode, "senders": self.senders,
            "count": count, "failures": self.failures, "first_failure": self.first_failure,
            "per_second": count / self.wall if self.wall else 0.0,
            "p50_ms": percentile(self.latencies, 50) * 1e3, "p99_ms": percentile(self.latencies, 99) * 1e3,
            "max_ms": max(self.latencies, default=0.0) * 1e3,
            "drain_p50_ms": percentile(self.drains, 50) * 1e3 if self.drains else None,
            "drain_p99_ms": percentile(self.drains, 99) * 1e3 if self.drains else None,
            "drain_per_second": self.delivered / self.drain_total if self.drain_total else None,
        }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 1000 samples is the 990th smallest)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Workload:
    """Makes the text of each command for a given sender, from the loaded book."""

    def __init__(self, fixture: Fixture, seed: int = 7) -> None:
        self.fixture = fixture
        self.rng = random.Random(seed)
        self.phone_serial = 0

    def text(self, kind: str, login: str) -> str:
        rng = self.rng
        if kind == "new":
            name, _ = next(self.fixture.fresh_names)
            parts = ["新建", name.full, rng.choice(_AMOUNTS)]
            if rng.random() < 0.25:  # a contact: encrypted, hashed, and matched by phone first
                self.phone_serial += 1
                parts += ["张总", f"139{self.phone_serial:08d}"]
            return " ".join([*parts, "下次", rng.choice(_WHEN)])
        if kind in ("log", "move"):
            targets = self.fixture.open_deals[login]
            if not targets:
                raise RuntimeError(f"{login} has no open deal left to {kind}: load more deals or run fewer commands")
            target = targets.pop(rng.randrange(len(targets)))
            if kind == "move":
                return f"推进 {target.name.ref}"
            return f"跟进 {target.name.ref} {rng.choice(_LOG_NOTES)} 下次 {rng.choice(_WHEN)}"
        if kind == "who":
            return f"查 {rng.choice(self.fixture.any_customers).typed}"
        return "我的"


def failure(kind: str, replies: list[Reply]) -> str | None:
    """Why the replies are not the answer the command should get; None when they are."""
    if not replies:
        return "no reply"
    data = replies[0].data
    ok = {
        "new": "deal_id" in data and not data.get("collision"),
        "log": "deal_id" in data, "move": "deal_id" in data,
        "who": bool(data.get("matches")), "mine": bool(data.get("deals")),
    }[kind]
    return None if ok else str(getattr(replies[0].body, "text", replies[0].body))[:200]


class Driver:
    def __init__(self, app: App, fixture: Fixture) -> None:
        self.app = app
        self.fixture = fixture
        self.workload = Workload(fixture)
        self.sender = CountingSender()
        self.worker = app.worker({"console": self.sender}, notice_platform="console")
        self.logins = [rep.login for rep in fixture.reps]

    async def command(self, run: Run, login: str, text: str, arrived: float | None = None) -> None:
        started = time.perf_counter() if arrived is None else arrived
        replies = await self.app.dispatcher.handle(console_event(login, text, NOW))
        run.latencies.append(time.perf_counter() - started)
        problem = failure(run.kind, replies)
        if problem is not None:
            run.failures += 1
            run.first_failure = run.first_failure or f"{text!r} -> {problem}"

    async def warm_up(self, per_kind: int) -> None:
        for kind in KINDS:
            await self.sequential(kind, per_kind)

    async def sequential(self, kind: str, count: int) -> Run:
        """One command at a time (senders take turns), each followed by an outbox drain."""
        run = Run(kind, "sequential", 1)
        started = time.perf_counter()
        for index in range(count):
            login = self.logins[index % len(self.logins)]
            await self.command(run, login, self.workload.text(kind, login))
            drain_started = time.perf_counter()
            run.delivered += await self.worker.drain()
            run.drains.append(time.perf_counter() - drain_started)
        run.wall = sum(run.latencies)  # commands/s without the drain; drains are reported apart
        run.drain_total = time.perf_counter() - started - run.wall
        return run

    async def concurrent(self, kind: str, count: int, senders: int, offset: int = 0) -> Run:
        """`senders` different reps each sending their share back to back, all at once; drain after."""
        run = Run(kind, "concurrent", senders)
        logins = [self.logins[(offset + i) % len(self.logins)] for i in range(senders)]
        scripts = [[self.workload.text(kind, login) for _ in range(count // senders)] for login in logins]

        async def one_sender(login: str, texts: list[str]) -> None:
            for text in texts:
                await self.command(run, login, text)

        started = time.perf_counter()
        await asyncio.gather(*(one_sender(login, texts) for login, texts in zip(logins, scripts, strict=True)))
        run.wall = time.perf_counter() - started
        drain_started = time.perf_counter()
        run.delivered = await self.worker.drain()
        run.drain_total = time.perf_counter() - drain_started
        return run


    async def paced(self, kind: str, count: int, rate: float, seed: int = 11) -> Run:
        """`count` commands arriving `rate` per second on average (exponential gaps), each from a random rep,
        with the outbox worker delivering beside them; latency is from arrival to the committed reply."""
        rng = random.Random(seed)
        run = Run(kind, f"paced {rate:g}/s", len(self.logins))
        script = []
        for _ in range(count):
            login = rng.choice(self.logins)
            script.append((login, self.workload.text(kind, login)))
        # Exponential gaps, scaled so that they average exactly 1/rate: the offered rate is the one asked
        # for, not what a few hundred random draws happen to add up to.
        gaps = [rng.expovariate(rate) for _ in range(count)]
        scale = count / rate / sum(gaps)
        kick, stop = asyncio.Event(), asyncio.Event()
        self.app.dispatcher.on_commit = kick.set
        sent_before = self.sender.sent
        worker = asyncio.create_task(deliver_until(self.worker, kick, stop))
        tasks = []
        started = time.perf_counter()
        arrival = started
        for (login, text), gap in zip(script, gaps, strict=True):
            arrival += gap * scale
            delay = arrival - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.command(run, login, text, arrived=arrival)))
        await asyncio.gather(*tasks)
        run.wall = time.perf_counter() - started
        stop.set()
        kick.set()
        await worker
        self.app.dispatcher.on_commit = None
        run.drain_total = time.perf_counter() - started
        run.delivered = self.sender.sent - sent_before
        return run


async def run_all(driver: Driver, count: int, senders: int, warm_up: int,
                  profile: Callable[[str], Any] | None = None, rate: float = 0.0) -> list[Run]:
    """Warm up, then every kind sequentially (`count` each), then every kind concurrently (`count` each),
    then (with a rate) every kind paced at that rate (`count` each)."""
    await driver.warm_up(warm_up)
    runs = []
    for kind in KINDS:
        with profile(kind) if profile is not None else contextlib.nullcontext():
            runs.append(await driver.sequential(kind, count))
    for position, kind in enumerate(KINDS):
        runs.append(await driver.concurrent(kind, count, senders, offset=position * senders))
    if rate:
        for kind in KINDS:
            runs.append(await driver.paced(kind, count, rate))
    return runs
