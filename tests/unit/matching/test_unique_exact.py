"""The full-name shortcut (`unique_exact`, from the customers stored under the exact name key alone)
answers exactly as `answer` over every candidate, on every query of the evaluation sets where it answers."""

from __future__ import annotations

import json
from pathlib import Path

from storage.matching import CustomerRecord
from storage.matching.book import Book, NotSamePairs, names_one_exactly, unique_exact
from storage.matching.keys import index_keys, prepared_keys
from storage.matching.query import prepare

DATA = Path(__file__).resolve().parents[2] / "data"


def queries() -> list[str]:
    texts = []
    for name in ("matching_eval.jsonl", "matching_holdout.jsonl"):
        texts += [json.loads(line)["query"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return texts


def stored_under_name(records: list[CustomerRecord], core: str) -> dict[str, CustomerRecord]:
    return {r.id: r for r in records if ("name", core) in index_keys(r)}


def test_the_shortcut_agrees_with_the_full_answer_wherever_it_answers() -> None:
    book = Book.from_jsonl(DATA / "matching_book.jsonl")
    records = [book.get(rid) for rid in sorted(book._records)]
    answered = 0
    for text in queries():
        q = prepare(text)
        core = q.main.core if q.main is not None else ""
        if not names_one_exactly(q) or ("name", core) not in prepared_keys(q):
            continue
        settled = unique_exact(q, stored_under_name(records, core), NotSamePairs())
        if settled is not None:
            answered += 1
            assert settled == book.find(text), text
    assert answered >= 100  # the shortcut is the common case for full names


def test_a_bare_name_never_takes_the_shortcut() -> None:
    assert not names_one_exactly(prepare("长城"))  # R11: must also list 长城汽车 to confirm
    assert names_one_exactly(prepare("长城汽车股份有限公司"))


def test_a_remembered_not_same_answer_is_respected() -> None:
    record = CustomerRecord("1", "华为技术有限公司")
    q = prepare("华为技术有限公司")
    assert unique_exact(q, {"1": record}, NotSamePairs()) is not None
    assert unique_exact(q, {"1": record}, NotSamePairs([("华为技术有限公司", "1")])) is None
