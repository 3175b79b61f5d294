"""Serving benchmark (issue 3): `dealbot serve` on one core, the load generator and fake platforms on the other.

    python benchmarks/bench_serve.py [--db sqlite|postgres|both] [--seconds 20] [--refs/--no-refs]

Per database: a fresh database, migrated, 8 reps added and linked to Slack and WeCom ids with
`dealbot users add/link`; fake Slack and WeCom APIs (benchmarks/serve_fakes.py) pinned to CPU 1;
`dealbot serve` pinned to CPU 0 with both platforms pointing at the fakes. This process (CPU 1) then sends
signed `/deal new …` commands and encrypted WeCom texts: open-loop at 200/s and closed-loop from 32
connections, then 300 commands/s open-loop while sampling the backlog (acknowledged minus replies the
fake received). After every phase it waits for the backlog to drain. The RSS of the serving process and of
its processing process (`[server] processing = "separate"`, the default; `--processing inline` for one
process) is sampled throughout. Then the reference points (benchmarks/serve_refs.py: a
bare aiohttp signature check and a minimal slack-bolt AsyncApp) take the same Slack load on CPU 0.
Prints a table and writes JSON to benchmarks/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks.*`, `tests.harness` and the app importable
    sys.path.insert(0, str(ROOT))

from benchmarks.serve_load import (  # noqa: E402
    Request,
    Result,
    closed_loop,
    fake_stats,
    open_loop,
    slack_commands,
    wait_ready,
    wecom_messages,
)
from benchmarks.serve_report import print_results  # noqa: E402
from tests.harness.fake_slack import APP_TOKEN, SECRET  # noqa: E402
from tests.harness.fake_slack import TOKEN as BOT_TOKEN  # noqa: E402
from tests.harness.fake_wecom import AES_KEY, AGENT, CORP, TOKEN  # noqa: E402
from tests.harness.fake_wecom import SECRET as WECOM_SECRET  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "dealbot_bench_serve"
SERVE_PORT, SLACK_PORT, WECOM_PORT, REF_PORT = 18080, 18081, 18082, 18083
REPS = 8
SLACK_TEXTS = ["new 蓝海{n}科技 5万"]
WECOM_TEXTS = ["新建 远山{n}贸易 3万"]


def config_file(folder: Path, url: str, processing: str) -> Path:
    path = folder / "dealbot.toml"
    path.write_text(f"""
[server]
processing = "{processing}"
[database]
url = "{url}"
[security]
secret_key = "bench-serve-secret"
[slack]
enabled = true
signing_secret = "{SECRET}"
bot_token = "{BOT_TOKEN}"
app_token = "{APP_TOKEN}"
api_url = "http://127.0.0.1:{SLACK_PORT}/api/"
[wecom]
enabled = true
corp_id = "{CORP}"
agent_id = "{AGENT}"
secret = "{WECOM_SECRET}"
token = "{TOKEN}"
encoding_aes_key = "{AES_KEY}"
api_url = "http://127.0.0.1:{WECOM_PORT}"
""")
    return path


def fresh_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / 'serve.db'}"
    for sql in (f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}"):
        subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, capture_output=True)
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"


def dealbot(config: Path, *args: str) -> None:
    subprocess.run([str(BIN / "dealbot"), "--config", str(config), *args], check=True, capture_output=True,
                   cwd=config.parent)


def set_up(config: Path) -> tuple[list[str], list[str]]:
    """Migrate, add the reps and link each to a Slack and a WeCom id; returns (slack ids, wecom ids)."""
    dealbot(config, "db", "upgrade")
    slack_ids, wecom_ids = [f"U{100 + n}" for n in range(REPS)], [f"rep{n}" for n in range(REPS)]
    for n in range(REPS):
        dealbot(config, "users", "add", f"rep{n}", "--name", f"Rep {n}", "--role", "rep", "--team", "sales")
        dealbot(config, "users", "link", f"rep{n}", "--platform", "slack", "--id", slack_ids[n])
        dealbot(config, "users", "link", f"rep{n}", "--platform", "wecom", "--id", wecom_ids[n])
    return slack_ids, wecom_ids


def start(cpu: int, args: list[str], log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(["taskset", "-c", str(cpu), *args], stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as an operator would; whatever of the process group is still there after 90 s is killed."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(90)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


class Rss:
    """Samples the resident memory (VmRSS) of a process and of its children (the processing process of a
    split `serve`) every 0.25 s; peaks per role and of their sum at one instant. RSS counts the pages a
    forked child still shares with its parent in both, so the sum overstates; the proportional set size
    (Pss: each shared page split between its sharers) of both is the memory they really take together."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples = pid, 0
        self.peak_mb = self.children_peak_mb = self.total_peak_mb = self.pss_peak_mb = 0.0

    @staticmethod
    def _read(pid: int, field: str = "VmRSS", file: str = "status") -> float:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _children(self) -> list[int]:
        try:
            return [int(p) for p in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
        except OSError:
            return []

    async def run(self) -> None:
        while True:
            try:
                own = self._read(self.pid)
            except OSError:
                return
            children = 0.0
            pss = 0.0
            for pid in [self.pid, *self._children()]:
                with contextlib.suppress(OSError):
                    pss += self._read(pid, "Pss", "smaps_rollup")
                    if pid != self.pid:
                        children += self._read(pid)
            self.pss_peak_mb = max(self.pss_peak_mb, pss)
            self.peak_mb = max(self.peak_mb, own)
            self.children_peak_mb = max(self.children_peak_mb, children)
            self.total_peak_mb = max(self.total_peak_mb, own + children)
            self.samples += 1
            await asyncio.sleep(0.25)

    def report(self) -> dict[str, float]:
        return {"rss_peak_mb": round(self.peak_mb, 1), "rss_processing_peak_mb": round(self.children_peak_mb, 1),
                "rss_total_peak_mb": round(self.total_peak_mb, 1), "pss_total_peak_mb": round(self.pss_peak_mb, 1)}


class Phases:
    """Runs load phases against the serving process and tracks delivery (the backlog) after each."""

    def __init__(self, base: str, seconds: float, slack_ids: list[str], wecom_ids: list[str]) -> None:
        self.base, self.seconds = base, seconds
        self.stats_url = f"http://127.0.0.1:{SLACK_PORT}"  # the fakes' process counts both platforms there
        response_base = f"http://127.0.0.1:{SLACK_PORT}/response/"
        self.slack: Iterator[Request] = slack_commands(slack_ids, SLACK_TEXTS, response_base)
        self.wecom: Iterator[Request] = wecom_messages(wecom_ids, WECOM_TEXTS)
        self.accepted = 0
        self.results: list[dict[str, Any]] = []

    async def delivered(self) -> int:
        """Slack replies only: WeCom allows 30 messages a minute per member, so dealbot queues most WeCom
        replies of a 200/s run for minutes by design; WeCom phases measure the ack and run last."""
        return (await fake_stats(self.stats_url))["slack_posts"]

    async def drain(self, within: float = 60.0) -> dict[str, Any]:
        started = time.perf_counter()
        done = 0
        for _ in range(int(within / 0.2)):  # polls the fake in another process: nothing to wait on here
            if (done := await self.delivered()) >= self.accepted:
                break
            await asyncio.sleep(0.2)
        return {"drain_seconds": round(time.perf_counter() - started, 2), "backlog_left": self.accepted - done}

    async def run(self, platform_name: str, mode: str, amount: float, *, keep: bool = True) -> Result:
        requests = self.slack if platform_name == "slack" else self.wecom
        if mode == "open":
            result = await open_loop(self.base, requests, amount, self.seconds)
        else:
            result = await closed_loop(self.base, requests, int(amount), self.seconds)
        drained: dict[str, Any] = {}
        if platform_name == "slack":
            self.accepted += result.ok
            drained = await self.drain()
        if keep:
            self.results.append({"platform": platform_name, **result.summary(), **drained})
            print(f"  {platform_name} {result.mode}: {self.results[-1]}", file=sys.stderr, flush=True)
        return result

    async def sustained(self, rate: float) -> dict[str, Any]:
        """Open-loop `rate` commands/s with the backlog sampled each second: does processing keep up?"""
        before = await self.delivered()
        result = Result(f"open {rate:g}/s (e2e)")
        load = asyncio.create_task(open_loop(self.base, self.slack, rate, self.seconds, result))
        backlog: list[int] = []
        started = time.perf_counter()
        while not load.done():
            await asyncio.sleep(1.0)
            backlog.append(self.accepted + result.ok - await self.delivered())
        await load
        window = time.perf_counter() - started
        delivered_in_window = await self.delivered() - before
        self.accepted += result.ok
        drained = await self.drain()
        summary = {"platform": "slack", **result.summary(), **drained, "backlog_per_second": backlog,
                   "delivered_per_second": round(delivered_in_window / window, 1)}
        self.results.append(summary)
        return summary


async def bench_dealbot(kind: str, seconds: float, folder: Path, processing: str) -> dict[str, Any]:
    url = fresh_database(kind, folder)
    config = config_file(folder, url, processing)
    slack_ids, wecom_ids = set_up(config)
    log = folder / f"serve-{kind}.log"
    fakes = start(1, [str(BIN / "python"), str(ROOT / "benchmarks" / "serve_fakes.py"), str(SLACK_PORT),
                      str(WECOM_PORT)], log)
    server = start(0, [str(BIN / "dealbot"), "--config", str(config), "serve", "--port", str(SERVE_PORT)], log,
                   cwd=folder)
    base = f"http://127.0.0.1:{SERVE_PORT}"
    rss = Rss(server.pid)
    sampler = asyncio.create_task(rss.run())
    try:
        await wait_ready(base)
        phases = Phases(base, seconds, slack_ids, wecom_ids)
        await phases.run("slack", "open", 50, keep=False)  # warm-up: imports, caches, tokens
        await phases.run("slack", "open", 200)
        await phases.run("slack", "closed", 32)
        await phases.sustained(300)
        await phases.run("wecom", "open", 50, keep=False)
        await phases.run("wecom", "open", 200)
        await phases.run("wecom", "closed", 32)
    finally:
        sampler.cancel()
        stop(server)
        stop(fakes)
    return {"server": f"dealbot ({kind}, {processing} processing)", "phases": phases.results, **rss.report()}


async def bench_reference(kind: str, seconds: float, folder: Path) -> dict[str, Any]:
    log = folder / f"ref-{kind}.log"
    server = start(0, [str(BIN / "python"), str(ROOT / "benchmarks" / "serve_refs.py"), kind, str(REF_PORT)], log)
    base = f"http://127.0.0.1:{REF_PORT}"
    rss = Rss(server.pid)
    sampler = asyncio.create_task(rss.run())
    results = []
    try:
        await wait_ready(base, "/slack/events")
        requests = slack_commands(["U100"], SLACK_TEXTS, f"http://127.0.0.1:{SLACK_PORT}/response/")
        await open_loop(base, requests, 50, 2)
        results.append({"platform": "slack", **(await open_loop(base, requests, 200, seconds)).summary()})
        results.append({"platform": "slack", **(await closed_loop(base, requests, 32, seconds)).summary()})
    finally:
        sampler.cancel()
        stop(server)
    return {"server": f"reference: {kind}", "phases": results, **rss.report()}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
            folder = Path(tmp) / kind
            folder.mkdir()
            runs.append(await bench_dealbot(kind, args.seconds, folder, args.processing))
            if args.keep_logs:
                print((folder / f"serve-{kind}.log").read_text()[-4000:])
        if args.refs:
            for kind in ("bare", "bolt"):
                runs.append(await bench_reference(kind, args.seconds, Path(tmp)))
    return {"argv": sys.argv[1:], "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "runs": runs}


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load phase")
    parser.add_argument("--refs", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--processing", choices=["separate", "inline"], default="separate",
                        help="dealbot's [server] processing: a second process handles events, or the same one")
    parser.add_argument("--keep-logs", action="store_true", help="print the tail of the server log")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})  # the load generator shares CPU 1 with the fakes; dealbot has CPU 0
    report = asyncio.run(main(args))
    print_results(report)
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench_serve-{args.db}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    cli()
