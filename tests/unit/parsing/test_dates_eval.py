"""Accuracy of the date grammar on the hand-labelled evaluation set tests/data/dates_eval.jsonl (≥ 98%)."""

from __future__ import annotations

from tests.unit.parsing.scoring import accuracy, date_failures, load_rows


def test_eval_accuracy() -> None:
    rows = load_rows("dates_eval.jsonl")
    assert len(rows) >= 300
    failures = date_failures(rows)
    assert accuracy("dates eval", rows, failures) >= 0.98, "\n".join(failures)
