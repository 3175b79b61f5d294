"""Name anatomy: region / trade name / descriptor / legal form (R2, R3, R4)."""

from __future__ import annotations

import pytest

from storage.matching import parse


@pytest.mark.parametrize(
    ("name", "region", "trade"),
    [
        ("北京字节跳动科技有限公司", "北京", "字节跳动"),
        ("杭州云帆信息技术有限公司", "杭州", "云帆"),
        ("腾讯科技(深圳)有限公司", "深圳", "腾讯"),
        ("阿里巴巴（中国）有限公司", "中国", "阿里巴巴"),
        ("深圳市恒信达电子", "深圳", "恒信达"),
        ("中国平安保险(集团)股份有限公司", "中国", "平安"),
    ],
)
def test_region_and_trade(name: str, region: str, trade: str) -> None:
    a = parse(name)
    assert (a.region, a.trade) == (region, trade)


@pytest.mark.parametrize(
    "name", ["华为技术有限责任公司", "华为技术股份有限公司", "华为公司", "华为", "华为技朮有线公司", "华为集团"]
)
def test_legal_forms_and_descriptors_leave_the_trade_name(name: str) -> None:
    assert parse(name).trade == "华为"


def test_synonymous_descriptors_share_a_canonical_form() -> None:
    assert parse("云帆信息科技").descriptors == parse("云帆信息技术").descriptors
    assert parse("拼多多电商").descriptors == parse("拼多多电子商务").descriptors


def test_region_only_name_keeps_region_as_identity() -> None:
    a = parse("上海电气集团股份有限公司")
    assert (a.trade, a.identity) == ("", "上海电气")


def test_formal_flag() -> None:
    assert parse("云帆信息技术有限公司").formal
    assert not parse("云帆信息技术").formal
    assert parse("Apple Inc.").formal


@pytest.mark.parametrize("name", ["Apple Inc.", "Apple Incorporated", "APPLE CORP", "Apple (China)"])
def test_english_legal_forms_and_regions(name: str) -> None:
    assert parse(name).trade == "apple"


def test_english_descriptor() -> None:
    a = parse("Hewlett Packard Enterprise Company")
    assert (a.trade, a.descriptors) == ("hewlettpackard", ("enterprise",))


@pytest.mark.parametrize("query", ["北京", "深圳市", "银行", "电气", "集团", "科技有限公司", "中国", "东方", "南方"])
def test_generic_words(query: str) -> None:
    assert parse(query).generic


@pytest.mark.parametrize("query", ["上海银行", "东方电气", "华为", "Apple"])
def test_specific_words(query: str) -> None:
    assert not parse(query).generic


def test_subsidiary_unit_is_a_descriptor() -> None:
    assert parse("中铁一局集团有限公司").trade == "中铁"
