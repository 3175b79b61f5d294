"""Accuracy and speed of `dealbot parse --jsonl` on the date and amount evaluation sets, through the real CLI.

    python benchmarks/parse_eval.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def run_cli(lines: list[str]) -> tuple[list[dict[str, object]], float]:
    dealbot = shutil.which("dealbot") or str(Path(sys.executable).with_name("dealbot"))
    began = time.perf_counter()
    done = subprocess.run([dealbot, "parse", "--jsonl"], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()], time.perf_counter() - began


def same_instant(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return datetime.fromisoformat(str(got)) == datetime.fromisoformat(str(want))


def dates(repeat: int) -> None:
    cases = [json.loads(line) for line in (DATA / "dates_eval.jsonl").read_text().splitlines() if line.strip()]
    lines = [json.dumps({"text": c["text"], "now": c["now"], "tz": c["tz"]}, ensure_ascii=False) for c in cases]
    results, _ = run_cli(lines)
    right = sum(same_instant(r["when"], c["when"]) for r, c in zip(results, cases, strict=True))
    _, seconds = run_cli(lines * repeat)
    print(f"dates:   {right}/{len(cases)} exact ({right / len(cases):.2%}); "
          f"{len(lines) * repeat / seconds:,.0f} texts/s over {len(lines) * repeat} lines (start-up included)")


def amounts(repeat: int) -> None:
    cases = [json.loads(line) for line in (DATA / "amounts_eval.jsonl").read_text().splitlines() if line.strip()]
    lines = [json.dumps({"text": c["text"], "now": "2026-11-27T10:00:00+08:00"}, ensure_ascii=False) for c in cases]
    results, _ = run_cli(lines)

    def ok(got: dict[str, object], want: dict[str, object]) -> bool:
        if want["amount"] is None:
            return got["amount"] is None
        return got["amount"] is not None and Decimal(str(got["amount"])) == Decimal(str(want["amount"])) and (
            got["currency"] == want["currency"])

    right = sum(ok(r, c) for r, c in zip(results, cases, strict=True))
    _, seconds = run_cli(lines * repeat)
    print(f"amounts: {right}/{len(cases)} exact ({right / len(cases):.2%}); "
          f"{len(lines) * repeat / seconds:,.0f} texts/s over {len(lines) * repeat} lines (start-up included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="times the set is repeated for the speed run")
    args = parser.parse_args()
    dates(args.repeat)
    amounts(args.repeat)


if __name__ == "__main__":
    main()
