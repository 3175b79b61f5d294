"""Amounts in chat text: every example of amounts.md (A1–A11 and beyond) plus per-rule cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.parsing.amounts import AmountMatch, find_amount, parse_amount

D = Decimal


def _amount(text: str) -> tuple[Decimal, str] | None:
    return parse_amount(text)


# A1, A3, A8 – the opening examples and multipliers, in whole currency units.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50万", "500000"),
        ("5w", "50000"),
        ("5W", "50000"),
        ("1.2亿", "120000000"),
        ("三十万", "300000"),
        ("50k", "50000"),
        ("50K", "50000"),
        ("1.5千万", "15000000"),
        ("一亿两千万", "120000000"),
        ("1个亿", "100000000"),
        ("两个亿", "200000000"),
        ("5百万", "5000000"),
        ("3千万", "30000000"),
        ("十万", "100000"),
        ("十亿", "1000000000"),
        ("2bn", "2000000000"),
        ("1.5 billion", "1500000000"),
        ("3 million", "3000000"),
        ("1亿5000万", "150000000"),
        ("十个亿", "1000000000"),
    ],
)
def test_multipliers(text: str, amount: str) -> None:
    assert _amount(text) == (D(amount), "CNY")


# A2 currency markers.
@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("¥300,000", "CNY"),
        ("￥300000", "CNY"),
        ("RMB 300000", "CNY"),
        ("CNY 300000", "CNY"),
        ("300000元", "CNY"),
        ("300000块", "CNY"),
        ("人民币300000", "CNY"),
        ("$300000", "USD"),
        ("US$300000", "USD"),
        ("USD 300000", "USD"),
        ("300000 dollars", "USD"),
        ("30万美元", "USD"),
        ("30万美金", "USD"),
        ("HK$300000", "HKD"),
        ("HKD 300000", "HKD"),
        ("30万港币", "HKD"),
        ("30万港元", "HKD"),
        ("€300000", "EUR"),
        ("EUR 300000", "EUR"),
        ("30万欧元", "EUR"),
        ("30万日元", "JPY"),
        ("JPY 300000", "JPY"),
        ("budget 300k", "CNY"),
    ],
)
def test_currency(text: str, currency: str) -> None:
    found = parse_amount(text)
    assert found is not None
    assert found[1] == currency


def test_yen_sign_is_always_cny() -> None:
    assert parse_amount("¥5000") == (D(5000), "CNY")


# A4 colloquial trailing digit.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("五万五", "55000"),
        ("一万二", "12000"),
        ("两万五", "25000"),
        ("四十八万八", "488000"),
        ("3千5", "3500"),
        ("1亿2", "120000000"),
        ("2万5", "25000"),
        ("十万五", "105000"),
        ("一千五", "1500"),
        ("一万零五百块", "10500"),
    ],
)
def test_trailing_digit(text: str, amount: str) -> None:
    assert _amount(text) == (D(amount), "CNY")


# A5 ranges: lower bound, both ends kept.
@pytest.mark.parametrize(
    ("text", "lower", "upper", "currency"),
    [
        ("80-100万", "800000", "1000000", "CNY"),
        ("5-8w", "50000", "80000", "CNY"),
        ("30~50万", "300000", "500000", "CNY"),
        ("30至50万", "300000", "500000", "CNY"),
        ("100万到120万之间", "1000000", "1200000", "CNY"),
        ("$1-1.5M", "1000000", "1500000", "USD"),
        ("20k-30k", "20000", "30000", "CNY"),
        ("三五十万", "300000", "500000", "CNY"),
        ("二三十万", "200000", "300000", "CNY"),
        ("七八十万", "700000", "800000", "CNY"),
        ("一两万", "10000", "20000", "CNY"),
        ("十五六万", "150000", "160000", "CNY"),
        ("5000-1万", "5000", "10000", "CNY"),
        ("80 to 100k", "80000", "100000", "CNY"),
        ("between 80k and 100k", "80000", "100000", "CNY"),
        ("$10k-$20k", "10000", "20000", "USD"),
        ("预算80-100万", "800000", "1000000", "CNY"),
    ],
)
def test_ranges(text: str, lower: str, upper: str, currency: str) -> None:
    found = find_amount(text)
    assert found is not None
    assert (found.amount, found.upper, found.currency) == (D(lower), D(upper), currency)


# A6 qualifiers give the stated number.
@pytest.mark.parametrize(
    ("text", "amount", "approximate"),
    [
        ("50万左右", "500000", True),
        ("约50万", "500000", True),
        ("大概50万", "500000", True),
        ("50万上下", "500000", True),
        ("50多万", "500000", True),
        ("50w+", "500000", False),
        ("50万以上", "500000", False),
        ("50万以内", "500000", False),
        ("不超过50万", "500000", False),
        ("上限50万", "500000", False),
        ("around 50k", "50000", True),
        ("about 50k", "50000", True),
        ("~50k", "50000", True),
        ("up to 50k", "50000", False),
        ("十几万", "100000", True),
        ("几十万", "100000", True),
        ("两万多", "20000", True),
        ("50余万", "500000", True),
        ("十来万", "100000", True),
        ("1w出头", "10000", True),
        ("50万", "500000", False),
    ],
)
def test_qualifiers(text: str, amount: str, approximate: bool) -> None:
    found = find_amount(text)
    assert found is not None
    assert (found.amount, found.approximate) == (D(amount), approximate)


# A7 Chinese numerals, financial capitals, 整, 点.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("两万", "20000"),
        ("壹拾万元整", "100000"),
        ("人民币贰佰万元整", "2000000"),
        ("叁拾伍万", "350000"),
        ("玖万玖仟元整", "99000"),
        ("50万整", "500000"),
        ("一点二亿", "120000000"),
        ("三点五万", "35000"),
        ("3点5万", "35000"),
    ],
)
def test_chinese_numerals(text: str, amount: str) -> None:
    assert _amount(text) == (D(amount), "CNY")


# A8 formatting and NFKC.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("¥300,000", "300000"),
        ("12,345.67元", "12345.67"),
        ("¥ 5,000.50", "5000.50"),
        ("５０万", "500000"),
        ("１．２亿", "120000000"),
        ("５ｗ", "50000"),
        ("￥３０００００", "300000"),
        ("50 万", "500000"),
    ],
)
def test_formatting(text: str, amount: str) -> None:
    assert _amount(text) == (D(amount), "CNY")


# A10 one amount per text; per-period markers do not change the number.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("5万元/年", "50000"),
        ("月费5000", "5000"),
        ("单价300", "300"),
        ("300元/台", "300"),
        ("报价50万，客户还价45万", "500000"),
        ("budget 5000/month", "5000"),
    ],
)
def test_one_amount_and_periods(text: str, amount: str) -> None:
    assert _amount(text) == (D(amount), "CNY")


# A11 money cue without a unit.
@pytest.mark.parametrize(
    "text",
    ["预算500000", "报价500000", "金额500000", "总价500000", "合同额500000", "price 500000", "budget 500000",
     "预算：500000", "budget is 500000"],
)
def test_money_cue(text: str) -> None:
    assert parse_amount(text) == (D(500000), "CNY")


# Beyond the core rules.
def test_vague_and_half() -> None:
    assert find_amount("十几万") == AmountMatch(D(100000), "CNY", None, True, 0, 3)
    assert parse_amount("半个亿") == (D(50_000_000), "CNY")
    assert parse_amount("一个半亿") == (D(150_000_000), "CNY")
    assert parse_amount("上百万的单子") == (D(1_000_000), "CNY")


def test_unit_header() -> None:
    assert parse_amount("单位：万元\n华为 合同额 120") == (D(1_200_000), "CNY")
    assert parse_amount("单位：万美元 ACME 35") == (D(350_000), "USD")


def test_decimal_never_float() -> None:
    found = find_amount("1.1亿")
    assert found is not None
    assert isinstance(found.amount, Decimal)
    assert found.amount == D(110_000_000)
