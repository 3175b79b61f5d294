"""Accuracy of the date grammar on the hand-labelled evaluation set tests/data/dates_eval.jsonl."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from handlers.parsing.dates import parse_when

EVAL_FILE = Path(__file__).resolve().parents[2] / "data" / "dates_eval.jsonl"
REQUIRED_ACCURACY = 0.98


def test_eval_set_is_large_enough() -> None:
    assert len(EVAL_FILE.read_text(encoding="utf-8").splitlines()) >= 300


def test_eval_accuracy() -> None:
    failures = []
    rows = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        expected = datetime.fromisoformat(row["when"]) if row["when"] else None
        got = parse_when(row["text"], datetime.fromisoformat(row["now"]), row["tz"])
        if got != expected:  # aware datetimes compare as instants
            failures.append(f"{row['now']} {row['tz']} {row['text']!r}: expected {expected}, got {got}")
    accuracy = 1 - len(failures) / len(rows)
    print("\n".join(failures))
    print(f"dates eval accuracy: {accuracy:.2%} over {len(rows)} cases")
    assert accuracy >= REQUIRED_ACCURACY, "\n".join(failures)
