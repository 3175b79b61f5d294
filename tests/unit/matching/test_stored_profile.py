"""The stored profile decodes to exactly the profile parsing gives, and to nothing when it is stale."""

from __future__ import annotations

import ast
import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.matching import Book, CustomerRecord
from storage.matching.profile import parse_profile, profile, profile_of
from storage.matching.stored_profile import _without_docstrings, decode, encode, fingerprint, made_by_this_parser

NAME_PARTS = st.sampled_from(["深圳", "北京市", "华为", "字节跳动", "技术", "电器", "有限公司", "(中国)", "集团",
                              "Huawei", " Inc", "ＴＣＬ", "科技", "分公司", "第一", "A&B", "-", " ", "上海"])
NAMES = st.lists(NAME_PARTS, min_size=1, max_size=6).map("".join)


def roundtrip(record: CustomerRecord) -> None:
    parsed = profile.__wrapped__(record)  # uncached: equal records share the cache whatever they store
    stored = dataclasses.replace(record, stored=encode(parsed))
    assert decode(stored.stored or "", stored, parsed.phones, parsed.domains) == parsed
    assert profile_of(stored) == parsed


def test_every_record_of_the_evaluation_book_roundtrips(book: Book) -> None:
    records = [book.get(rid) for rid in sorted(book._records)]
    assert len(records) > 150
    for record in records:
        roundtrip(record)


CITIES = st.one_of(st.none(), st.sampled_from(["深圳", "苏州市", "Paris"]))


@settings(max_examples=300, deadline=None)
@given(name=NAMES, aliases=st.lists(NAMES, max_size=3), city=CITIES)
def test_generated_names_roundtrip(name: str, aliases: list[str], city: str | None) -> None:
    roundtrip(CustomerRecord("1", name, tuple(aliases), city))


def test_a_profile_made_from_other_names_or_another_city_is_not_used() -> None:
    record = CustomerRecord("1", "深圳市华为技术有限公司", ("华为", "Huawei"), "深圳")
    text = encode(parse_profile(record))
    others = [
        dataclasses.replace(record, name="深圳市华威技术有限公司"),
        dataclasses.replace(record, aliases=("Huawei", "华为")),  # the first Chinese alias is the usual name
        dataclasses.replace(record, aliases=("华为",)),
        dataclasses.replace(record, city="上海"),
        dataclasses.replace(record, city=None),
    ]
    for other in others:
        assert decode(text, other, frozenset(), ()) is None
    assert decode(text, record, frozenset(), ()) is not None


def test_a_profile_from_other_parser_code_or_garbage_is_not_used() -> None:
    record = CustomerRecord("1", "华为技术有限公司", ("华为",))
    text = encode(parse_profile(record))
    assert fingerprint() in text
    assert decode(text.replace(fingerprint(), "0" * 16), record, frozenset(), ()) is None
    for garbage in ("", "null", "[]", "{}", "[1, 2]", "not json", text[:-5]):
        assert decode(garbage, record, frozenset(), ()) is None


def test_the_fingerprint_ignores_docstrings_and_comments_but_not_code() -> None:
    source = 'def f(x):\n    """Say what f does."""\n    return x + 1  # why\n'
    reworded = 'def f(x):\n    """Say it otherwise."""\n    # a comment of its own\n    return x + 1\n'
    changed = 'def f(x):\n    """Say what f does."""\n    return x + 2\n'

    def dump(text: str) -> str:
        return ast.dump(_without_docstrings(ast.parse(text)))

    assert dump(source) == dump(reworded)
    assert dump(source) != dump(changed)
    assert dump('"""Module."""\n') == dump('"""Another."""\n')


def test_the_stamp_check_agrees_with_decoding() -> None:
    record = CustomerRecord("1", "华为技术有限公司", ("华为",))
    text = encode(parse_profile(record))
    assert made_by_this_parser(text)
    assert not made_by_this_parser(None)
    assert not made_by_this_parser(text.replace(fingerprint(), "0" * 16))
