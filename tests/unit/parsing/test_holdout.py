"""Accuracy on the held-out sets tests/data/{dates,amounts}_holdout.jsonl.

Those sets were labelled from /work/shared/conventions only (dates-and-times.md, amounts.md), without
looking at the parser or its own eval sets; benchmarks/parse_holdout.py runs the same sets through the CLI.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from handlers.parsing.amounts import parse_amount
from handlers.parsing.dates import parse_when

DATA = Path(__file__).resolve().parents[2] / "data"


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dates_holdout_accuracy() -> None:
    rows = _rows("dates_holdout.jsonl")
    assert len(rows) >= 250
    failures: list[str] = []
    for row in rows:
        expected = datetime.fromisoformat(row["when"]) if row["when"] else None
        got = parse_when(row["text"], datetime.fromisoformat(row["now"]), row["tz"])
        if got != expected:  # aware datetimes compare as instants
            failures.append(f"{row['now']} {row['tz']} {row['text']!r}: expected {expected}, got {got}")
    accuracy = 1 - len(failures) / len(rows)
    print(f"dates holdout: {len(rows) - len(failures)}/{len(rows)} = {accuracy:.2%}")
    assert accuracy >= 0.98, "\n".join(failures)


def test_amounts_holdout_accuracy() -> None:
    rows = _rows("amounts_holdout.jsonl")
    assert len(rows) >= 250
    failures: list[str] = []
    for row in rows:
        expected = None if row["amount"] is None else (Decimal(row["amount"]), row["currency"])
        got = parse_amount(row["text"])
        if got != expected:
            failures.append(f"{row['text']!r}: expected {expected}, got {got}")
    accuracy = 1 - len(failures) / len(rows)
    print(f"amounts holdout: {len(rows) - len(failures)}/{len(rows)} = {accuracy:.2%}")
    assert accuracy >= 0.99, "\n".join(failures)
