"""R13 phone numbers and R14 e-mail domains."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.matching import canonical_phone
from storage.matching.phones import _canonical, forget_phones


@pytest.mark.parametrize("raw", ["138-0013-8000", "+86 13800138000", "8613800138000", "0086 138 0013 8000"])
def test_cn_mobile_forms(raw: str) -> None:
    assert canonical_phone(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", ["0755-28780808", "+86 755 2878 0808", "(0755) 2878-0808"])
def test_cn_landline_drops_trunk_zero(raw: str) -> None:
    assert canonical_phone(raw) == "+8675528780808"


def test_400_is_a_mainland_number() -> None:
    assert canonical_phone("400-100-5678") == "+864001005678"


@pytest.mark.parametrize("raw", ["(408) 555-0123", "+1 408 555 0123", "408.555.0123", "1-408-555-0123"])
def test_nanp_forms(raw: str) -> None:
    assert canonical_phone(raw) == "+14085550123"


def test_eleven_digits_starting_1_3_to_9_is_cn_mobile() -> None:
    assert canonical_phone("14085550123") == "+8614085550123"


@pytest.mark.parametrize(
    ("query", "record_id"),
    [("138-0013-8000", "yunfan_hz"), ("+1 408 996 1010", "apple"), ("(0755) 2878-0808", "huawei")],
)
def test_phone_finds_customer(book, query: str, record_id: str) -> None:
    result = book.find(query)
    assert (result.kind, result.top and result.top.record_id) == ("same", record_id)


@pytest.mark.parametrize("query", ["138-0013-8001", "0755-28780809", "(408) 996-1011"])
def test_one_digit_off_matches_nothing(book, query: str) -> None:
    assert book.find(query).kind == "none"


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("zhang@xiaomi.com", "xiaomi"),
        ("mail.xiaomi.com", "xiaomi"),
        ("li@us.ibm.com", "ibm"),
        ("Zhang San <zs@huawei.com>", "huawei"),
        ("mailto:wang@bytedance.com", "bytedance"),
        ("XIAOMI.COM", "xiaomi"),
    ],
)
def test_email_domain_and_subdomains(book, query: str, record_id: str) -> None:
    result = book.find(query)
    assert (result.kind, result.top and result.top.record_id) == ("same", record_id)


@pytest.mark.parametrize(
    "query", ["a@163.com", "b@126.com", "c@qq.com", "d@foxmail.com", "e@aliyun.com", "f@gmail.com"]
)
def test_webmail_never_matches_even_when_provider_is_a_customer(book, query: str) -> None:
    assert book.find(query).kind == "none"


@pytest.mark.parametrize("query", ["x@huawei-tech.cn", "huaweii.com", "q@boc.com", "p@micron.com"])
def test_lookalike_and_other_domains_match_nothing(book, query: str) -> None:
    assert book.find(query).kind == "none"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 +-()转x", min_size=7, max_size=24))
def test_a_canonical_number_is_its_own_canonical_form(text: str) -> None:
    """The memo in `canonical_phone` records each answer as its own text: that must be what parsing says."""
    found = _canonical(text)
    if found is not None:
        assert _canonical(found) == found
        forget_phones()
        assert canonical_phone(text) == found
        assert canonical_phone(found) == found
