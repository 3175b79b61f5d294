"""Times `dealbot parse --jsonl` in a subprocess over lines built from the date and amount eval sets.

The rate is reported two ways: lines over the whole run, and lines over the run minus the start-up of
an empty run (interpreter, imports), which is what a long-lived stream pays per text.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.core_load import NOW

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def parse_lines(count: int) -> list[str]:
    """Date rows keep their own now/tz; amount rows get the benchmark's now in Asia/Shanghai."""
    rows = []
    dates = (json.loads(x) for x in (DATA / "dates_eval.jsonl").read_text("utf-8").splitlines() if x.strip())
    amounts = (json.loads(x) for x in (DATA / "amounts_eval.jsonl").read_text("utf-8").splitlines() if x.strip())
    for row in dates:
        rows.append({"text": row["text"], "now": row["now"], "tz": row["tz"]})
    for row in amounts:
        rows.append({"text": row["text"], "now": NOW.isoformat(), "tz": "Asia/Shanghai"})
    return [json.dumps(row, ensure_ascii=False) for row in itertools.islice(itertools.cycle(rows), count)]


def dealbot_command() -> list[str]:
    script = Path(sys.executable).with_name("dealbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _run(stdin: str, cwd: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([*dealbot_command(), "parse", "--jsonl"], input=stdin, capture_output=True, text=True,
                          cwd=cwd, check=True)
    return time.perf_counter() - started, done.stdout


def bench_parse(count: int) -> dict[str, Any]:
    lines = parse_lines(count)
    with tempfile.TemporaryDirectory() as cwd:  # no dealbot.toml from the working tree
        startup = min(_run("", cwd)[0] for _ in range(3))
        _run("\n".join(lines[:200]) + "\n", cwd)  # warm the OS file cache for the parser modules
        wall, out = _run("\n".join(lines) + "\n", cwd)
    results = [json.loads(line) for line in out.splitlines()]
    if len(results) != len(lines):
        raise RuntimeError(f"dealbot parse answered {len(results)} lines for {len(lines)}")
    return {
        "lines": len(lines), "wall_seconds": wall, "startup_seconds": startup,
        "per_second": len(lines) / wall, "per_second_after_startup": len(lines) / max(wall - startup, 1e-9),
        "errors": sum(1 for r in results if r.get("error")),
        "with_when": sum(1 for r in results if r.get("when")),
        "with_amount": sum(1 for r in results if r.get("amount")),
    }
