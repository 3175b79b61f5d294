"""CPU per command on a small book: the quick before/after probe behind docs/benchmarks.md's comparisons.

    python benchmarks/bench_cpu.py [--db sqlite|postgres] [--customers 10000] [--commands 500]
                                   [--kinds new,log,who,mine] [--loop uvloop|asyncio] [--root CHECKOUT]
                                   [--profile KIND]

The full benchmark (bench_core.py) takes 20 minutes and times latency; this takes two, and reports the
process CPU time of each command (`time.process_time` around `dispatcher.handle`) and of the outbox drain
after it, which is what a change to the code moves. `--root` runs another checkout of the project with
this interpreter, e.g. a `git worktree` of the commit before a change: alternate the two, twice, on an
idle machine, since CPU time still varies by ~10% between runs. `--profile KIND` prints a cProfile of
that kind. The process is pinned to CPU 0 where the OS allows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=500, help="per command kind, one at a time")
    parser.add_argument("--kinds", default="new,log,who,mine")
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--profile", default="", help="a kind to profile (cProfile, by own time)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))  # the measured checkout's modules come first
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})
    from bot.loops import new_event_loop

    factory = new_event_loop if args.loop == "uvloop" else asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(run(args))
    return 0


async def run(args: argparse.Namespace) -> None:
    import benchmarks.bench_core as core
    from benchmarks.core_drive import Driver, Run
    from benchmarks.core_load import NOW, load, make_names
    from bot.app import build_app
    from bot.core.clock import FrozenClock
    from bot.server import prepare_handling
    from config import DatabaseSettings, Settings
    from config.settings import BotSettings, SecuritySettings
    from storage.migrate import upgrade

    core.OUT.mkdir(parents=True, exist_ok=True)
    kinds = args.kinds.split(",")
    names = make_names(args.customers + len(kinds) * args.commands + 400, core.SECRET)
    url, sink, where = await (core.fresh_sqlite() if args.db == "sqlite" else core.fresh_postgres())
    try:
        await asyncio.to_thread(upgrade, url)
        fixture = await load(sink, names, customers=args.customers, deals=3 * args.customers, secret=core.SECRET)
        settings = Settings(database=DatabaseSettings(url=url), security=SecuritySettings(secret_key=core.SECRET),
                            bot=BotSettings(default_tz="Asia/Shanghai"))
        app = build_app(settings, FrozenClock(NOW))
        prepare_handling()
        try:
            driver = Driver(app, fixture)
            await driver.warm_up(40)
            print(f"{args.root.resolve()} on {args.db}, {args.loop}: CPU ms per command (wall p50 / p99 ms)")
            for kind in kinds:
                profile = cProfile.Profile() if kind == args.profile else None
                measured, handling, draining = Run(kind, "cpu", 1), 0.0, 0.0
                for index in range(args.commands):
                    login = driver.logins[index % len(driver.logins)]
                    text = driver.workload.text(kind, login)
                    started = time.process_time()
                    if profile is not None:
                        profile.enable()
                    await driver.command(measured, login, text)
                    if profile is not None:
                        profile.disable()
                    handled = time.process_time()
                    await driver.worker.drain()
                    handling += handled - started
                    draining += time.process_time() - handled
                latencies = sorted(measured.latencies)
                count = len(latencies)
                print(f"  {kind:5s} {handling / count * 1e3:6.2f}   drain after it {draining / count * 1e3:5.2f}"
                      f"   ({latencies[count // 2] * 1e3:.2f} / {latencies[int(count * 0.99)] * 1e3:.2f})"
                      f"   refused: {measured.failures}", flush=True)
                if profile is not None:
                    pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        finally:
            await app.close()
    finally:
        await core.drop(args.db, where)


if __name__ == "__main__":
    sys.exit(main())
