"""Scoring the labelled date and amount sets in tests/data/: one place for how a row is read and judged."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from handlers.parsing.amounts import parse_amount
from handlers.parsing.dates import parse_when

DATA = Path(__file__).resolve().parents[2] / "data"


def load_rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def date_failures(rows: list[dict[str, Any]]) -> list[str]:
    failures = []
    for row in rows:
        expected = datetime.fromisoformat(row["when"]) if row["when"] else None
        got = parse_when(row["text"], datetime.fromisoformat(row["now"]), row["tz"])
        if got != expected:  # aware datetimes compare as instants
            failures.append(f"{row['now']} {row['tz']} {row['text']!r}: expected {expected}, got {got}")
    return failures


def amount_failures(rows: list[dict[str, Any]]) -> list[str]:
    failures = []
    for row in rows:
        expected = None if row["amount"] is None else (Decimal(row["amount"]), row["currency"])
        got = parse_amount(row["text"])
        if got != expected:
            failures.append(f"{row['text']!r}: expected {expected}, got {got}")
    return failures


def accuracy(label: str, rows: list[dict[str, Any]], failures: list[str]) -> float:
    """The share right, printed with every miss (pytest -s shows them)."""
    share = 1 - len(failures) / len(rows)
    print(f"{label}: {len(rows) - len(failures)}/{len(rows)} = {share:.2%}")
    for failure in failures:
        print("  FAIL", failure)
    return share
