"""Times parse_when over the date eval set and prints texts per second (run: python benchmarks/bench_dates.py)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

from handlers.parsing.dates import parse_when

EVAL_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "dates_eval.jsonl"
ROUNDS = 20


def main() -> None:
    rows = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [(row["text"], datetime.fromisoformat(row["now"]), row["tz"]) for row in rows]
    for text, now, zone in cases:  # warm caches (zones) so the loop measures parsing only
        parse_when(text, now, zone)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text, now, zone in cases:
            parse_when(text, now, zone)
    elapsed = time.perf_counter() - started
    count = ROUNDS * len(cases)
    print(f"{count} texts in {elapsed:.3f}s: {count / elapsed:,.0f} texts/s, {elapsed / count * 1e6:.1f} µs/text")


if __name__ == "__main__":
    main()
