"""Accuracy of find_amount on the hand-labelled evaluation set tests/data/amounts_eval.jsonl (≥ 99%)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from handlers.parsing.amounts import parse_amount

EVAL_FILE = Path(__file__).resolve().parents[2] / "data" / "amounts_eval.jsonl"


def test_eval_set_accuracy() -> None:
    rows = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 300
    failures: list[str] = []
    for row in rows:
        expected = None if row["amount"] is None else (Decimal(row["amount"]), row["currency"])
        got = parse_amount(row["text"])
        if got != expected:
            failures.append(f"{row['text']!r}: expected {expected}, got {got}")
    accuracy = 1 - len(failures) / len(rows)
    print(f"amounts eval: {len(rows) - len(failures)}/{len(rows)} = {accuracy:.2%}")
    for failure in failures:
        print("  FAIL", failure)
    assert accuracy >= 0.99, "\n".join(failures)
