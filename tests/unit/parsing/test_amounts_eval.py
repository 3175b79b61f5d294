"""Accuracy of find_amount on the hand-labelled evaluation set tests/data/amounts_eval.jsonl (≥ 99%)."""

from __future__ import annotations

from tests.unit.parsing.scoring import accuracy, amount_failures, load_rows


def test_eval_set_accuracy() -> None:
    rows = load_rows("amounts_eval.jsonl")
    assert len(rows) >= 300
    failures = amount_failures(rows)
    assert accuracy("amounts eval", rows, failures) >= 0.99, "\n".join(failures)
