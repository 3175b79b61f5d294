"""Core commands benchmark (issue 2): 新建, 跟进, 推进, 查 and 我的 through the real dispatcher, in process.

    python benchmarks/bench_core.py --db sqlite|postgres|both [--customers 100000] [--deals 300000]
                                    [--commands 1000] [--senders 16] [--rate 300] [--pg-host 127.0.0.1:5432]
                                    [--loop uvloop|asyncio] [--profile] [--keep]

For each database: migrate a fresh one, bulk-load the book (benchmarks/core_load.py), build the real
app on a frozen clock (on uvloop, the loop `serve` handles commands on; `--loop asyncio` for asyncio's
own), warm up, then run each command `--commands`/2 times sequentially (one at a time, outbox drained
after each and timed apart), as many again from `--senders` concurrent reps (closed
loop: each sends its next command when the last is answered), and as many again arriving at `--rate`
per second from random reps (open loop, the outbox worker delivering beside them; the issue's "300
commands per second with p99 under 20 ms" is this run).
Then `dealbot parse --jsonl` is timed in a subprocess over ~10k lines from the parser eval sets.
The process is pinned to CPU 0 where the OS allows; PostgreSQL (a separate server) is not pinned.
Prints a table and writes JSON to benchmarks/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks.*` and the app importable
    sys.path.insert(0, str(ROOT))

from benchmarks.core_drive import Driver, run_all  # noqa: E402
from benchmarks.core_load import NOW, Fixture, PostgresSink, Sink, SqliteSink, load, make_names  # noqa: E402
from benchmarks.core_parse import bench_parse  # noqa: E402
from benchmarks.core_report import print_parse, print_runs  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.core.clock import FrozenClock  # noqa: E402
from bot.loops import new_event_loop  # noqa: E402
from bot.server import prepare_handling  # noqa: E402
from config import DatabaseSettings, Settings  # noqa: E402
from config.settings import BotSettings, SecuritySettings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SECRET = "bench-core-secret"
PG_DATABASE = "dealbot_bench"
PG_HOST = "127.0.0.1:5432"  # --pg-host: host:port over TCP, or the directory of the server's Unix socket


def pg_dsn(database: str, driver: str = "") -> str:
    """postgresql[+driver]://postgres@… for PG_HOST (a path means the Unix socket in that directory)."""
    scheme = f"postgresql+{driver}" if driver else "postgresql"
    if PG_HOST.startswith("/"):
        return f"{scheme}://postgres@/{database}?host={PG_HOST}"
    return f"{scheme}://postgres@{PG_HOST}/{database}"
WARM_UP_PER_KIND = 40


def pin_to_one_core() -> str:
    try:
        os.sched_setaffinity(0, {0})
        return "pinned to CPU 0"
    except (AttributeError, OSError) as exc:
        return f"not pinned ({exc.__class__.__name__})"


def remove_sqlite(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def fresh_sqlite() -> tuple[str, Sink, str]:
    path = OUT / "bench_core.db"
    remove_sqlite(str(path))
    return f"sqlite+aiosqlite:///{path}", SqliteSink(str(path)), str(path)


async def fresh_postgres() -> tuple[str, Sink, str]:
    import asyncpg

    admin = await asyncpg.connect(pg_dsn("test"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        await admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    finally:
        await admin.close()
    return pg_dsn(PG_DATABASE, "asyncpg"), PostgresSink(pg_dsn(PG_DATABASE)), PG_DATABASE


async def drop(db: str, where: str) -> None:
    if db == "sqlite":
        remove_sqlite(where)
        return
    import asyncpg

    admin = await asyncpg.connect(pg_dsn("test"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    finally:
        await admin.close()


def profiler(db: str, top: int = 25) -> Any:
    """A context factory per command kind: cProfile of the sequential run, saved and summarized."""

    @contextlib.contextmanager
    def profile(kind: str) -> Iterator[None]:
        prof = cProfile.Profile()
        prof.enable()
        try:
            yield
        finally:
            prof.disable()
            prof.dump_stats(OUT / f"profile_{db}_{kind}.pstats")
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
            (OUT / f"profile_{db}_{kind}.txt").write_text(text.getvalue())

    return profile


async def bench_database(db: str, args: argparse.Namespace, names: list[Any]) -> dict[str, Any]:
    url, sink, where = await (fresh_sqlite() if db == "sqlite" else fresh_postgres())
    try:
        started = time.perf_counter()
        await asyncio.to_thread(upgrade, url)
        migrate_seconds = time.perf_counter() - started
        fixture: Fixture = await load(sink, names, customers=args.customers, deals=args.deals, secret=SECRET)
        print(f"[{db}] migrated in {migrate_seconds:.1f}s, loaded in {fixture.seconds:.1f}s: "
              + ", ".join(f"{n:,} {t}" for t, n in fixture.counts.items()), flush=True)
        settings = Settings(database=DatabaseSettings(url=url), security=SecuritySettings(secret_key=SECRET),
                            bot=BotSettings(default_tz="Asia/Shanghai"))
        app = build_app(settings, FrozenClock(NOW))
        prepare_handling()  # as `serve`'s processing process does before its first command
        try:
            started = time.perf_counter()
            runs = await run_all(Driver(app, fixture), args.commands // 2, args.senders, WARM_UP_PER_KIND,
                                 profiler(db) if args.profile else None, args.rate)
            print(f"[{db}] commands ran in {time.perf_counter() - started:.1f}s", flush=True)
        finally:
            await app.close()
        return {"database": db, "load_seconds": fixture.seconds, "rows": dict(fixture.counts),
                "runs": [run.summary() for run in runs]}
    finally:
        if not args.keep:
            await drop(db, where)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=300_000)
    parser.add_argument("--commands", type=int, default=1000, help="per command kind: half sequential, half concurrent")
    parser.add_argument("--senders", type=int, default=16, help="concurrent reps in the concurrent mode")
    parser.add_argument("--rate", type=float, default=300.0,
                        help="paced mode: commands arriving per second, open loop (0: no paced run)")
    parser.add_argument("--parse-lines", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="cProfile each sequential run into benchmarks/out/")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop",
                        help="the event loop: uvloop, as `serve`'s processing process runs, or asyncio's own")
    parser.add_argument("--pg-host", default="127.0.0.1:5432",
                        help="PostgreSQL as host:port (TCP) or as the directory of its Unix socket")
    args = parser.parse_args(argv)
    global PG_HOST
    PG_HOST = args.pg_host
    OUT.mkdir(parents=True, exist_ok=True)
    pinned = pin_to_one_core()
    machine = {"cpus": os.cpu_count(), "affinity": pinned, "python": platform.python_version(), "loop": args.loop,
               "platform": platform.platform(), "load_average_at_start": os.getloadavg()}
    print(f"bench_core: {machine['cpus']} CPUs, {pinned}, load average {machine['load_average_at_start'][0]:.1f}; "
          f"{args.customers:,} customers, {args.deals:,} deals, {args.commands} commands per kind "
          f"(half sequential, half from {args.senders} concurrent senders"
          + (f", and half again arriving at {args.rate:g}/s" if args.rate else "") + ")", flush=True)
    report: dict[str, Any] = {"argv": sys.argv[1:], "machine": machine, "databases": []}
    started = time.perf_counter()
    # Fresh names for every 新建: warm-up, sequential and concurrent halves, and the paced run.
    names = make_names(args.customers + 2 * args.commands + 6 * WARM_UP_PER_KIND, SECRET)
    print(f"{len(names):,} distinct names and their match keys made in {time.perf_counter() - started:.0f}s",
          flush=True)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        with asyncio.Runner(loop_factory=new_event_loop if args.loop == "uvloop" else asyncio.new_event_loop) as runner:
            result = runner.run(bench_database(db, args, names))
        report["databases"].append(result)
        print_runs(result)
    report["parse"] = bench_parse(args.parse_lines)
    machine["load_average_at_end"] = os.getloadavg()
    print_parse(report["parse"])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = OUT / f"bench_core-{args.db}-{stamp}.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
