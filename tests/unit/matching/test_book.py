"""Book answers: R7 granularity, R10 generic, R11 ambiguous lists, R12 possible, JVs, remembered answers."""

from __future__ import annotations

import pytest

from storage.matching import Book, CustomerRecord, NotSamePairs, query_keys


def ids(book: Book, query: str) -> tuple[str, set[str]]:
    result = book.find(query)
    return result.kind, {c.record_id for c in result.candidates}


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("平安银行", "pingan_bank"),
        ("中国平安", "pingan"),
        ("中信证券", "citic_sec"),
        ("药明生物", "wuxi_bio"),
        ("招商局", "cmg"),
        ("保利发展", "poly_dev"),
        ("钉钉", "dingtalk"),
        ("菜鸟", "cainiao"),
    ],
)
def test_r7_named_member_returns_that_member_only(book: Book, query: str, record_id: str) -> None:
    assert ids(book, query) == ("same", {record_id})


@pytest.mark.parametrize(
    "query", ["北京", "深圳市", "银行", "汽车", "电气", "集团", "科技有限公司", "中国", "东方", "南方"]
)
def test_r10_generic_queries_are_ambiguous_and_empty(book: Book, query: str) -> None:
    assert ids(book, query) == ("ambiguous", set())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("平安", {"pingan", "pingan_bank"}),
        ("中信", {"citic_sec", "citic_bank"}),
        ("药明", {"wuxi_apptec", "wuxi_bio"}),
        ("招商", {"cmb", "cmg"}),
        ("保利", {"poly_dev", "poly_group"}),
        ("中石", {"cnpc", "sinopec"}),
        ("通用", {"gm", "ge"}),
        ("摩根", {"jpmorgan", "morgan_stanley"}),
        ("Morgan", {"jpmorgan", "morgan_stanley"}),
        ("Hewlett-Packard", {"hp", "hpe"}),
        ("云帆", {"yunfan_hz", "yunfan_sh"}),
        ("博远", {"boyuan_invest", "boyuan_consult"}),
        ("Northstar", {"northstar_analytics", "northstar_logistics"}),
    ],
)
def test_r11_ambiguous_short_names_list_every_entry(book: Book, query: str, expected: set[str]) -> None:
    kind, found = ids(book, query)
    assert kind == "ambiguous"
    assert expected <= found


def test_r11_best_first(book: Book) -> None:
    assert book.find("平安").candidates[0].record_id == "pingan"


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("长城", "gwm"),
        ("金山", "kingsoft_office"),
        ("大华", "dahua"),
        ("海天", "haitian"),
        ("中金", "cicc"),
        ("华泰", "htsc"),
    ],
)
def test_r11_common_trade_words_ask_to_confirm(book: Book, query: str, record_id: str) -> None:
    assert ids(book, query) == ("ambiguous", {record_id})


@pytest.mark.parametrize(
    ("query", "record_id"), [("格力地产", "gree"), ("中通客车", "zto"), ("兴业证券", "cib"), ("广发银行", "gf_sec")]
)
def test_r12_shared_trade_name_is_possible(book: Book, query: str, record_id: str) -> None:
    assert ids(book, query) == ("possible", {record_id})


@pytest.mark.parametrize(
    ("query", "expected"), [("长安福特", {"changan", "ford"}), ("上汽通用汽车有限公司", {"saic", "gm"})]
)
def test_r6b_joint_venture_lists_both_partners(book: Book, query: str, expected: set[str]) -> None:
    kind, found = ids(book, query)
    assert kind == "ambiguous"
    assert expected <= found


def test_not_same_pair_is_remembered() -> None:
    record = CustomerRecord("g", "珠海格力电器股份有限公司", ("格力电器",))
    book = Book([record], NotSamePairs([("格力地产", "g")]))
    assert book.find("格力地产").kind == "none"
    assert book.find("格力电器").kind == "same"


def test_confirmed_alias_turns_possible_into_same() -> None:
    book = Book([CustomerRecord("g", "珠海格力电器股份有限公司", ("格力电器",))])
    assert book.find("格力地产").kind == "possible"
    book.add(CustomerRecord("g", "珠海格力电器股份有限公司", ("格力电器", "格力地产")))
    assert book.find("格力地产").kind == "same"


def test_replacing_a_record_drops_its_old_keys() -> None:
    book = Book([CustomerRecord("x", "杭州云帆信息技术有限公司", city="杭州")])
    book.add(CustomerRecord("x", "杭州星河信息技术有限公司", city="杭州"))
    assert book.find("云帆").kind == "none"
    assert len(book) == 1


def test_a_lookup_probes_few_candidates(book: Book) -> None:
    assert 0 < len(book.candidate_ids(query_keys("华为"))) < 5
    assert len(book.candidate_ids(query_keys("字节跳东"))) < 5
