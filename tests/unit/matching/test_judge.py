"""`judge` on single records: verdicts, scores and the hard negatives named in the brief."""

from __future__ import annotations

import pytest

from storage.matching import CustomerRecord, judge

HUAWEI = CustomerRecord("huawei", "华为技术有限公司", ("华为", "Huawei"))
JD = CustomerRecord("jd", "北京京东世纪贸易有限公司", ("京东",))
APPLE = CustomerRecord("apple", "Apple Inc.", ("苹果", "Apple"))
SH_ELECTRIC = CustomerRecord("se", "上海电气集团股份有限公司", ("上海电气",))
YUNFAN = CustomerRecord("yf", "杭州云帆信息技术有限公司", city="杭州")


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("华威", HUAWEI),
        ("京东方", JD),
        ("Applied Materials", APPLE),
        ("荣耀", HUAWEI),
        ("上海电力", SH_ELECTRIC),
        ("南京云帆信息技术有限公司", YUNFAN),
    ],
)
def test_hard_negatives(query: str, record: CustomerRecord) -> None:
    assert judge(query, record).match == "none"


def test_exact_name_scores_one() -> None:
    verdict = judge("华为", HUAWEI)
    assert (verdict.match, verdict.score, verdict.tier) == ("same", 1.0, 3)


def test_group_member_scores_below_exact() -> None:
    verdict = judge("华为终端", HUAWEI)
    assert verdict.match == "same"
    assert 0 < verdict.score < 1


def test_typo_scores_below_group() -> None:
    record = CustomerRecord("b", "北京字节跳动科技有限公司", ("字节跳动",))
    assert judge("字节跳东", record).score < judge("字节跳动网络", record).score


def test_local_company_without_region() -> None:
    assert judge("云帆信息技术有限公司", YUNFAN).match == "same"


def test_local_company_other_industry_is_possible() -> None:
    assert judge("杭州云帆物流", YUNFAN).match == "possible"


def test_phone_and_email_verdicts() -> None:
    record = CustomerRecord(
        "x", "小米科技有限责任公司", ("小米",), phones=("400-100-5678",), email_domains=("xiaomi.com",)
    )
    assert judge("4001005678", record).match == "same"
    assert judge("a@mi.xiaomi.com", record).match == "same"
    assert judge("a@163.com", record).match == "none"
