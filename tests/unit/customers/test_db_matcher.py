"""The database matcher answers exactly like the in-memory Book on the whole evaluation set."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from storage.matching import Book, MatchResult
from storage.uow import UnitOfWorkFactory
from tests.unit.customers.bookdb import BOOK, QUERIES, lines, load_book, services

Answer = tuple[str, list[tuple[str, float, frozenset[int]]]]


def canonical(result: MatchResult, to_id: Callable[[str], int]) -> Answer:
    """Kind and candidates in order; candidates tied on match and score are one group (their order is by
    record id, which differs between the book's names and the database's numbers)."""
    groups = groupby(result.candidates, key=lambda c: (c.match, c.score))
    return result.kind, [(m, s, frozenset(to_id(c.record_id) for c in group)) for (m, s), group in groups]


async def test_db_answers_equal_book_answers(uow_factory: UnitOfWorkFactory) -> None:
    ids = await load_book(uow_factory)
    book = Book.from_jsonl(BOOK)
    queries = [case["query"] for path in QUERIES for case in lines(path)]
    differences = []
    async with uow_factory() as uow:
        matcher = (await services(uow)).customers.matcher
        for query in queries:
            want = canonical(book.find(query), ids.__getitem__)
            have = canonical(await matcher.find(query), int)
            if have != want:
                differences.append((query, want, have))
    assert len(queries) > 550
    assert differences == []
