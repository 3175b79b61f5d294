"""Index and query keys: every kind the customer_keys table will hold, and typo candidates found by key."""

from __future__ import annotations

import pytest

from storage.matching import KEY_KINDS, CustomerRecord, index_keys, query_keys

BYTEDANCE = CustomerRecord(
    "b",
    "北京字节跳动科技有限公司",
    ("字节跳动", "抖音", "ByteDance"),
    phones=("010-12345678",),
    email_domains=("bytedance.com",),
)


def shares_key(query: str, record: CustomerRecord) -> bool:
    return bool(query_keys(query) & index_keys(record))


def test_index_keys_cover_the_kinds() -> None:
    kinds = {kind for kind, _ in index_keys(BYTEDANCE)}
    assert {"name", "trade", "pinyin", "trade_sub", "en_del", "phone", "email_domain"} <= kinds
    assert kinds <= set(KEY_KINDS)


def test_keys_are_normalized_strings() -> None:
    assert ("trade", "字节跳动") in index_keys(BYTEDANCE)
    assert ("phone", "+861012345678") in index_keys(BYTEDANCE)
    assert ("pinyin", "zijietiaodong") in index_keys(BYTEDANCE)


@pytest.mark.parametrize(
    "query", ["字节跳东", "字节挑动", "字节跳", "ByteDanse", "抖音", "bytedance.com", "010 1234 5678"]
)
def test_typos_and_contacts_are_found_by_key(query: str) -> None:
    assert shares_key(query, BYTEDANCE)


@pytest.mark.parametrize("query", ["北京", "银行", "科技有限公司", "a@163.com"])
def test_generic_queries_and_webmail_probe_nothing(query: str) -> None:
    assert query_keys(query) == set()


def test_two_character_trade_names_have_no_typo_keys() -> None:
    keys = index_keys(CustomerRecord("h", "华为技术有限公司", ("华为",)))
    assert not {kind for kind, _ in keys} & {"pinyin", "trade_sub"}


def test_region_bound_name_is_indexed_with_its_region() -> None:
    keys = index_keys(CustomerRecord("c", "宁德时代新能源科技股份有限公司", ("宁德时代",)))
    assert ("trade", "宁德时代") in keys
    assert ("trade", "时代") not in keys


def test_subdomain_probes_parent_domain() -> None:
    assert ("email_domain", "xiaomi.com") in query_keys("a@mail.xiaomi.com")
