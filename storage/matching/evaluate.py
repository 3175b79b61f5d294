"""Score the matcher on a labelled query set: precision / recall / F1 of `same` answers and the rate of
must-not-match queries answered `same`. Run: `python -m storage.matching.evaluate BOOK EVAL`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from storage.matching.book import Book


def _load(path: str | Path) -> list[dict[str, Any]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate(book_path: str | Path, eval_path: str | Path) -> dict[str, Any]:
    """Only `same` answers are predictions; one is a true positive when its top candidate is an expected
    id of a `same` query. Every other expectation is must-not-match."""
    book = Book.from_jsonl(book_path)
    tp = fp = fn = false_same = must_not = kind_ok = 0
    misses: list[dict[str, Any]] = []
    for case in _load(eval_path):
        result = book.find(case["query"])
        expect, ids = case["expect"], set(case.get("ids", []))
        top = result.top.record_id if result.top else None
        hit = result.kind == "same" and top in ids
        if expect == "same":
            tp, fn = tp + hit, fn + (not hit)
        else:
            must_not += 1
            false_same += result.kind == "same"
        fp += result.kind == "same" and not (expect == "same" and hit)
        got_ids = {c.record_id for c in result.candidates}
        ok = result.kind == expect and (expect in ("none", "same") or ids <= got_ids)
        kind_ok += ok
        if not ok:
            misses.append({**case, "got": result.kind, "got_ids": [c.record_id for c in result.candidates]})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fn + must_not
    return {
        "queries": total,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_same_rate": false_same / must_not if must_not else 0.0,
        "must_not_match": must_not,
        "kind_accuracy": kind_ok / total if total else 1.0,
        "misses": misses,
    }


DEFAULT_BOOK = "tests/data/matching_book.jsonl"
DEFAULT_EVAL = "tests/data/matching_eval.jsonl"


def main(argv: list[str]) -> int:
    book_path, eval_path = argv[1:3] if len(argv) >= 3 else (DEFAULT_BOOK, DEFAULT_EVAL)
    report = evaluate(book_path, eval_path)
    for miss in report.pop("misses"):
        print("MISS", json.dumps(miss, ensure_ascii=False))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
