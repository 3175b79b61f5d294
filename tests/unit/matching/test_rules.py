"""R4–R9 through `Book.find` on the evaluation book: one rule's examples per test."""

from __future__ import annotations

import pytest

from storage.matching import Book


def found(book: Book, query: str) -> tuple[str, str | None]:
    result = book.find(query)
    return result.kind, result.top.record_id if result.kind == "same" and result.top else None


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("深圳华为", "huawei"),
        ("华为(深圳)", "huawei"),
        ("字节跳动科技有限公司", "bytedance"),
        ("阿里巴巴有限公司", "alibaba"),
        ("北京联想", "lenovo"),
    ],
)
def test_r4a_region_prefix_is_ignorable(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("上海电气集团股份有限公司", "shanghai_electric"),
        ("北京银行", "bob"),
        ("宁波银行", "nbcb"),
        ("云南白药", "baiyao"),
        ("中国银行", "boc"),
        ("中国移动", "china_mobile"),
        ("中国建筑", "cscec"),
    ],
)
def test_r4b_region_in_the_name_matches(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize("query", ["东方电气", "上海电力", "北京汽车", "南京银行", "上海银行"])
def test_r4b_other_region_or_descriptor_is_another_company(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [("上海华为技术有限公司", "huawei"), ("腾讯科技(北京)有限公司", "tencent"), ("肇庆小鹏汽车有限公司", "xpeng")],
)
def test_r4c_national_brand_in_another_city(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


def test_r4c_same_trade_other_business_line_is_no_collision(book: Book) -> None:
    assert book.find("中微半导体(深圳)股份有限公司").kind != "same"


def test_r5_unique_trade_and_descriptor_without_region(book: Book) -> None:
    assert found(book, "云帆信息技术有限公司") == ("same", "yunfan_hz")


@pytest.mark.parametrize("query", ["南京云帆信息技术有限公司", "北京蓝鲸数据科技", "苏州小象科技", "深圳市恒信达电子"])
def test_r5_local_company_in_another_city(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


def test_r5_same_city_other_industry_is_only_a_candidate(book: Book) -> None:
    verdicts = {c.record_id: c.match for c in book.find("上海博远投资").candidates}
    assert verdicts == {"boyuan_invest": "same"}


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("北京字节跳动网络技术有限公司", "bytedance"),
        ("小米金融", "xiaomi"),
        ("上海电气风电集团", "shanghai_electric"),
        ("华为终端", "huawei"),
        ("华为云", "huawei"),
        ("中国石油天然气股份有限公司", "cnpc"),
        ("京东物流", "jd"),
        ("中铁一局", "crec"),
    ],
)
def test_r6a_group_members(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("抖音", "bytedance"),
        ("飞书", "bytedance"),
        ("企业微信", "tencent"),
        ("WeChat", "tencent"),
        ("阿里云", "alibaba"),
        ("Alipay", "ant"),
        ("大众点评", "meituan"),
        ("天翼云", "china_telecom"),
        ("HoYoverse", "mihoyo"),
        ("链家", "ke"),
        ("Temu", "pdd"),
        ("Instagram", "meta"),
        ("QuickBooks", "intuit"),
    ],
)
def test_r6c_brands_from_aliases(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize("query", ["国泰航空", "恒生银行", "荣耀", "GE Vernova", "GE HealthCare"])
def test_r6_ownership_links_and_spin_offs_do_not_match(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


def test_r6_guangfa_bank_is_at_most_possible(book: Book) -> None:
    assert book.find("广发银行").kind == "possible"


@pytest.mark.parametrize(
    "query",
    [
        "京东方科",
        "北京东方园林",
        "小米粒",
        "阿里山",
        "伊力特",
        "苹果树",
        "广联航空",
        "安科瑞",
        "华侨银行",
        "Applied Materials",
        "H&R Block",
        "Squarespace",
        "茅台镇",
        "长安镇",
        "深圳市字节科技有限公司",
    ],
)
def test_r8_containment_is_not_identity(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("阿里", "alibaba"),
        ("字节", "bytedance"),
        ("中铁", "crec"),
        ("中铁建", "crcc"),
        ("建行", "ccb"),
        ("工行", "icbc"),
        ("中行", "boc"),
        ("农行", "abc"),
        ("招行", "cmb"),
        ("交行", "bocom"),
        ("国网", "sgcc"),
        ("南网", "csg"),
        ("中石油", "cnpc"),
        ("睿思", "ruisi_nj"),
        ("京东", "jd"),
        ("京东方", "boe"),
    ],
)
def test_r8_standard_abbreviations_and_exact_trade_names(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize(
    "query",
    [
        "华威",
        "华伟",
        "中星",
        "申通",
        "海欣",
        "瑞星",
        "吉祥",
        "华电",
        "恒立",
        "永旺",
        "联发",
        "杭州云凡",
        "杭州青荷",
        "荣耀",
    ],
)
def test_r9_two_character_names_never_fuzzy(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("美图", "meitu"),
        ("美团", "meituan"),
        ("网宿", "wangsu"),
        ("网易", "netease"),
        ("同程", "tongcheng"),
        ("携程", "ctrip"),
        ("得力", "deli"),
        ("得物", "dewu"),
        ("汇顶", "goodix"),
        ("汇川", "inovance"),
        ("青禾", "qinghe_hz"),
        ("青和", "qinghe2_hz"),
    ],
)
def test_r9_two_character_neighbours_in_the_book_stay_apart(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("字节跳东", "bytedance"),
        ("字节挑动", "bytedance"),
        ("字节跳", "bytedance"),
        ("宁德时带", "catl"),
        ("比亚笛", "byd"),
        ("京东放", "boe"),
        ("科大迅飞", "iflytek"),
        ("拼多朵", "pdd"),
        ("蜜雪冰诚", "mixue"),
        ("星辰互洞", "xingchen_hudong"),
    ],
)
def test_r9_one_homophone_or_truncation_on_long_names(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize("query", ["华信永通", "云航"])
def test_r9_non_homophone_substitution_is_another_name(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("华为技朮有限公司", "huawei"),
        ("字节跳动科技有线公司", "bytedance"),
        ("京东方科技集团股分有限公司", "boe"),
        ("金蝶软建", "kingdee"),
    ],
)
def test_r9_descriptor_and_legal_typos(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("Microsft", "microsoft"),
        ("Mircosoft", "microsoft"),
        ("Salesfroce", "salesforce"),
        ("Cloudfare", "cloudflare"),
        ("Accenutre", "accenture"),
    ],
)
def test_r9_english_typos(book: Book, query: str, record_id: str) -> None:
    assert found(book, query) == ("same", record_id)


@pytest.mark.parametrize("query", ["Spotify", "Sysco", "Intuitive Surgical", "PayPay", "Cloudera"])
def test_r9_english_other_real_companies(book: Book, query: str) -> None:
    assert found(book, query) == ("none", None)
