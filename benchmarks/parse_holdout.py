"""Exact-match accuracy of `dealbot parse --jsonl` on the held-out date and amount sets, through the real CLI.

The holdout sets (tests/data/dates_holdout.jsonl, tests/data/amounts_holdout.jsonl) were labelled from
the conventions in /work/shared/conventions only, without looking at the parser or its own eval sets.

    python benchmarks/parse_holdout.py [--quiet] [--dates FILE] [--amounts FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
AMOUNTS_NOW = "2026-11-27T10:00:00+08:00"

Case = dict[str, object]


def load(path: Path) -> list[Case]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cli(lines: list[str]) -> list[Case]:
    dealbot = shutil.which("dealbot") or str(Path(sys.executable).with_name("dealbot"))
    done = subprocess.run([dealbot, "parse", "--jsonl"], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, check=True)
    results: list[Case] = [json.loads(line) for line in done.stdout.splitlines()]
    if len(results) != len(lines):
        raise SystemExit(f"dealbot parse answered {len(results)} lines for {len(lines)} inputs")
    return results


def same_instant(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return datetime.fromisoformat(str(got)) == datetime.fromisoformat(str(want))


def same_amount(got: Case, want: Case) -> bool:
    if want["amount"] is None:
        return got.get("amount") is None
    return got.get("amount") is not None and Decimal(str(got["amount"])) == Decimal(str(want["amount"])) and (
        got.get("currency") == want["currency"])


def date_misses(path: Path) -> tuple[int, list[str]]:
    cases = load(path)
    lines = [json.dumps({"text": c["text"], "now": c["now"], "tz": c["tz"]}, ensure_ascii=False) for c in cases]
    misses = [f"  {c['text']!r} now={c['now']} tz={c['tz']}\n      expected {c['when']}  got {r.get('when')}"
              for r, c in zip(run_cli(lines), cases, strict=True) if not same_instant(r.get("when"), c["when"])]
    return len(cases), misses


def amount_misses(path: Path) -> tuple[int, list[str]]:
    cases = load(path)
    lines = [json.dumps({"text": c["text"], "now": AMOUNTS_NOW}, ensure_ascii=False) for c in cases]
    misses = [f"  {c['text']!r}\n      expected {c['amount']} {c['currency']}"
              f"  got {r.get('amount')} {r.get('currency')}"
              for r, c in zip(run_cli(lines), cases, strict=True) if not same_amount(r, c)]
    return len(cases), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print the figures only, not the misses")
    parser.add_argument("--dates", type=Path, default=DATA / "dates_holdout.jsonl", help="date cases (JSONL)")
    parser.add_argument("--amounts", type=Path, default=DATA / "amounts_holdout.jsonl", help="amount cases (JSONL)")
    args = parser.parse_args()
    for label, (total, misses) in (("dates", date_misses(args.dates)), ("amounts", amount_misses(args.amounts))):
        right = total - len(misses)
        print(f"{label + ':':9}{right}/{total} exact ({right / total:.2%}); {len(misses)} misses")
        if not args.quiet:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
