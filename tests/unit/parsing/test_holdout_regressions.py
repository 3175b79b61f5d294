"""One regression test per parser bug found with the held-out sets (tests/data/*_holdout.jsonl)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.parsing.amounts import find_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("新建 字节 预算八十到一百万", "800000"),  # holdout miss: read as 80
        ("八十到一百万", "800000"),
        ("五到十万", "50000"),  # found next to it: 十万 as the scale gave 5
        ("八到十万", "80000"),
        ("十到二十万", "100000"),
        ("二十到三十万", "200000"),
        ("九十到一百二十万", "900000"),
        ("五百到八百万", "5000000"),
    ],
)
def test_range_unit_after_upper_bound_applies_to_a_chinese_numeral_lower_bound(text: str, amount: str) -> None:
    # A5: the unit written after the upper bound applies to both ends; 十/百 inside 八十 are not a scale.
    assert parse_amount(text) == (Decimal(amount), "CNY")


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [("八十到一百万", "800000", "1000000"), ("五到十万", "50000", "100000"), ("1-1.5千万", "10000000", "15000000"),
     ("二到三百万", "2000000", "3000000"), ("80-100万", "800000", "1000000")],
)
def test_range_keeps_both_ends(text: str, lower: str, upper: str) -> None:
    found = find_amount(text)
    assert found is not None
    assert (found.amount, found.upper) == (Decimal(lower), Decimal(upper))


@pytest.mark.parametrize(("text", "amount"), [("一个多亿", "100000000"), ("两个多亿", "200000000"),
                                              ("预算一个多亿", "100000000")])
def test_ge_filler_before_duo_and_a_unit(text: str, amount: str) -> None:
    # A3: 个 is filler (1个亿); A6: 多 gives the stated number (50多万 -> 500000).
    found = find_amount(text)
    assert found is not None
    assert (found.amount, found.currency, found.approximate) == (Decimal(amount), "CNY", True)


@pytest.mark.parametrize("text", ["3k stars", "GitHub 上 5k stars", "10k likes", "2w installs", "3k visitors",
                                  "5k students"])
def test_english_count_nouns_are_not_money(text: str) -> None:
    # A9: counts carrying k/w are never amounts.
    assert parse_amount(text) is None


def test_count_nouns_do_not_hide_a_real_amount() -> None:
    assert parse_amount("3k stars, budget $50k") == (Decimal(50000), "USD")
