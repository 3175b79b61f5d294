"""Accuracy on the held-out sets tests/data/{dates,amounts}_holdout.jsonl.

Those sets were labelled from /work/shared/conventions only (dates-and-times.md, amounts.md), without
looking at the parser or its own eval sets; benchmarks/parse_holdout.py runs the same sets through the CLI.
"""

from __future__ import annotations

from tests.unit.parsing.scoring import accuracy, amount_failures, date_failures, load_rows


def test_dates_holdout_accuracy() -> None:
    rows = load_rows("dates_holdout.jsonl")
    assert len(rows) >= 250
    failures = date_failures(rows)
    assert accuracy("dates holdout", rows, failures) >= 0.98, "\n".join(failures)


def test_amounts_holdout_accuracy() -> None:
    rows = load_rows("amounts_holdout.jsonl")
    assert len(rows) >= 250
    failures = amount_failures(rows)
    assert accuracy("amounts holdout", rows, failures) >= 0.99, "\n".join(failures)
