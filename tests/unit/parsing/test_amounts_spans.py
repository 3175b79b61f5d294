"""Amounts: spans in the original text, date-carrying messages, and the numbers that are not money (A9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.parsing.amounts import find_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("新建 华为 50万 下周三下午3点", "50万"),
        ("预算约50万左右", "约50万左右"),
        ("报价 ¥ 5,000.50 含税", "¥ 5,000.50"),
        ("预算８０－１００万 张总", "８０－１００万"),
        ("ＵＳＤ　５０ｋ 下周", "ＵＳＤ　５０ｋ"),
        ("deal around $50k, close Q3", "around $50k"),
        ("100万到120万之间吧", "100万到120万之间"),
        ("合计 ㎡ 50万元整", "50万元整"),
    ],
)
def test_span_is_in_original_text(text: str, covered: str) -> None:
    found = find_amount(text)
    assert found is not None
    assert text[found.start : found.end] == covered


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("新建 华为 预算80-100万 张总 13800138000 下次 下周三", "800000"),
        ("新建 华为 50万 下周三下午3点", "500000"),
        ("下周三五十万", "500000"),
        ("明天下午3点半 签50万", "500000"),
        ("15:30开会 聊50万的单", "500000"),
        ("3天后回复 报价5w", "50000"),
        ("2026年Q2 签约 100万", "1000000"),
        ("员工2万 预算50万", "500000"),
        ("采购200台电脑 预算80万", "800000"),
        ("iPhone 15 对标 预算30万", "300000"),
        ("5G项目 预算2000万", "20000000"),
        ("价格 8折 成交价40万", "400000"),
        ("订单号20260305001 金额50000", "50000"),
        ("会议室301 预算20万", "200000"),
        ("阿里 报价68万 周五前给答复", "680000"),
        ("50万张总说可以", "500000"),
        ("一个50万项目", "500000"),
        ("一期50万 二期再谈", "500000"),
        ("ACME wants 200 seats at $30 each", "30"),
    ],
)
def test_amount_among_other_numbers(text: str, amount: str) -> None:
    found = parse_amount(text)
    assert found is not None
    assert found[0] == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        # phones, ids, rooms
        "13800138000", "138-0013-8000", "+86 138 0013 8000", "0755-86668888", "400-800-8888", "(408) 555-0123",
        "预算 13800138000", "订单号20260305001", "工号10086", "房间1203", "301室", "3号楼5层", "order #20260305",
        # dates and times
        "2026年", "2026-03-05", "12/5", "3月5日", "5号", "3点", "下午3点", "15:30", "3点15分", "晚上8点半",
        "3天后", "2小时后", "下周三", "周3", "星期三", "第3季度", "1-2月", "3-5天", "2023-2026年", "in 3 days",
        "Meeting at 3pm tomorrow", "二〇二六年",
        # quantities, also with 万/w/k (A9)
        "100台", "200人", "3 seats", "50 units", "2k人", "3万平米", "日活5w", "1万台", "10万用户", "2万员工",
        "粉丝10w+", "10w+粉丝", "5万次", "10万 台 手机", "2 million users", "10k users", "DAU 50k", "播放量100w+",
        "用户规模10万", "50万字的文档", "5千克", "十万个为什么", "客户规模5000人", "回款 3 笔",
        # percentages, discounts, versions, models
        "30%", "8折", "95折", "v2.0", "V5.0", "5G", "iPhone 15", "4K屏幕", "5kg", "zhang50k@huawei.com",
        # bare numbers and words that only look numeric
        "华为 3", "新建 华为 3", "一下", "千万别忘了", "十万火急", "万一超了", "1.2M", "5m", "3.15", "1,2,3",
        "", "没有金额",
    ],
)
def test_not_money(text: str) -> None:
    assert find_amount(text) is None


def test_m_needs_money_context() -> None:
    assert parse_amount("1.2M") is None
    assert parse_amount("$1.2M") == (Decimal(1_200_000), "USD")
    assert parse_amount("budget 1.2m") == (Decimal(1_200_000), "CNY")
    assert parse_amount("1.5 million RMB") == (Decimal(1_500_000), "CNY")
