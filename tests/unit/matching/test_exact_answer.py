"""The full-name shortcut (`exact_answer`, from the customers stored under the exact name key alone)
answers exactly as `answer` over every candidate, on every query of the evaluation sets where it answers,
also when two customers are registered under one name."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from storage.matching import CustomerRecord, MatchResult
from storage.matching.book import Book, NotSamePairs, exact_answer, names_one_exactly
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


def shortcut_answers(book: Book) -> list[MatchResult]:
    """The shortcut's answer for every query where it answers, checked against the book's full answer."""
    records = [book.get(rid) for rid in sorted(book._records)]
    answers = []
    for text in queries():
        q = prepare(text)
        core = q.main.core if q.main is not None else ""
        if not names_one_exactly(q) or ("name", core) not in prepared_keys(q):
            continue
        settled = exact_answer(q, stored_under_name(records, core), NotSamePairs())
        if settled is not None:
            assert settled == book.find(text), text
            answers.append(settled)
    return answers


def test_the_shortcut_agrees_with_the_full_answer_wherever_it_answers() -> None:
    answers = shortcut_answers(Book.from_jsonl(DATA / "matching_book.jsonl"))
    assert len(answers) >= 100  # the shortcut is the common case for full names


def test_the_shortcut_lists_customers_registered_under_one_name() -> None:
    book = Book.from_jsonl(DATA / "matching_book.jsonl")
    for record in [book.get(rid) for rid in sorted(book._records)][::3]:  # every third one twice
        book.add(dataclasses.replace(record, id=f"{record.id}-twin", aliases=(), phones=(), email_domains=()))
    answers = shortcut_answers(book)
    assert sum(a.kind == "ambiguous" for a in answers) >= 20


def test_a_bare_name_never_takes_the_shortcut() -> None:
    assert not names_one_exactly(prepare("长城"))  # R11: must also list 长城汽车 to confirm
    assert names_one_exactly(prepare("长城汽车股份有限公司"))


def test_a_remembered_not_same_answer_is_respected() -> None:
    record = CustomerRecord("1", "华为技术有限公司")
    q = prepare("华为技术有限公司")
    assert exact_answer(q, {"1": record}, NotSamePairs()) is not None
    assert exact_answer(q, {"1": record}, NotSamePairs([("华为技术有限公司", "1")])) is None
