"""Phones (canonical E.164 per R13) and e-mail addresses found in chat text."""

from __future__ import annotations

import pytest

from handlers.parsing.contacts import EmailMatch, canonical_phone, find_email, find_phone

MOBILE = "+8613800138000"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13800138000", MOBILE),
        ("138-0013-8000", MOBILE),
        ("138 0013 8000", MOBILE),
        ("+86 138 0013 8000", MOBILE),
        ("+86-138-0013-8000", MOBILE),
        ("8613800138000", MOBILE),
        ("008613800138000", MOBILE),
        ("１３８００１３８０００", MOBILE),
        ("0755-86668888", "+8675586668888"),
        ("(0755)86668888", "+8675586668888"),
        ("+86 755 8666 8888", "+8675586668888"),
        ("010-12345678", "+861012345678"),
        ("0086 10 1234 5678", "+861012345678"),
        ("400-800-8888", "+864008008888"),
        ("4008008888", "+864008008888"),
        ("(408) 555-0123", "+14085550123"),
        ("+1 408 555 0123", "+14085550123"),
        ("408.555.0123", "+14085550123"),
        ("1-408-555-0123", "+14085550123"),
        ("tel:+852 9123 4567", "+85291234567"),
    ],
)
def test_canonical_phone(raw: str, e164: str) -> None:
    assert canonical_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "abc", "12345", "2026-03-05", "500000", "14085550123", "138001380001"])
def test_canonical_phone_rejects(raw: str) -> None:
    assert canonical_phone(raw) is None


def test_one_digit_off_is_another_number() -> None:
    assert canonical_phone("13800138001") != canonical_phone("13800138000")


@pytest.mark.parametrize(
    ("text", "e164", "covered"),
    [
        ("新建 华为 预算80-100万 张总 13800138000 下次 下周三", MOBILE, "13800138000"),
        ("张总电话：138-0013-8000，明天打", MOBILE, "138-0013-8000"),
        ("call +86 138 0013 8000 tomorrow", MOBILE, "+86 138 0013 8000"),
        ("座机0755-86668888转123", "+8675586668888", "0755-86668888"),
        ("客服 400-800-8888", "+864008008888", "400-800-8888"),
        ("Globex, call (408) 555-0123 at 3pm", "+14085550123", "(408) 555-0123"),
        ("US office 1-408-555-0123", "+14085550123", "1-408-555-0123"),
        ("手机１３８００１３８０００谢谢", MOBILE, "１３８００１３８０００"),
        ("13800138000@163.com 或 13900139000", "+8613900139000", "13900139000"),
    ],
)
def test_find_phone(text: str, e164: str, covered: str) -> None:
    found = find_phone(text)
    assert found is not None
    assert found.e164 == e164
    assert text[found.start : found.end] == covered


@pytest.mark.parametrize(
    "text", ["预算500000", "2026-03-05 签约", "订单20260305001", "华为 50万 下周三下午3点", "没有电话", ""]
)
def test_find_phone_none(text: str) -> None:
    assert find_phone(text) is None


@pytest.mark.parametrize(
    ("text", "address", "domain"),
    [
        ("zhang@huawei.com", "zhang@huawei.com", "huawei.com"),
        ("张三 <Zhang.San@Huawei.COM>", "zhang.san@huawei.com", "huawei.com"),
        ("mailto:li@us.ibm.com", "li@us.ibm.com", "us.ibm.com"),
        ("邮箱：ＺＨＡＮＧ＠ｍａｉｌ．ｘｉａｏｍｉ．ｃｏｍ 谢谢", "zhang@mail.xiaomi.com", "mail.xiaomi.com"),
        ("发到 wang_wu+crm@boc.cn，抄送我", "wang_wu+crm@boc.cn", "boc.cn"),
        ("13800138000@163.com", "13800138000@163.com", "163.com"),
    ],
)
def test_find_email(text: str, address: str, domain: str) -> None:
    found = find_email(text)
    assert found is not None
    assert (found.address, found.domain) == (address, domain)


def test_email_span() -> None:
    text = "张三 <Zhang.San@Huawei.COM>"
    assert find_email(text) == EmailMatch("zhang.san@huawei.com", "huawei.com", 4, 24)
    wide = "邮箱：ＺＨＡＮＧ＠ｈｕａｗｅｉ．ｃｏｍ 谢谢"
    found = find_email(wide)
    assert found is not None
    assert wide[found.start : found.end] == "ＺＨＡＮＧ＠ｈｕａｗｅｉ．ｃｏｍ"


@pytest.mark.parametrize("text", ["no email here @ foo", "a@b", "@huawei.com", "华为 50万"])
def test_find_email_none(text: str) -> None:
    assert find_email(text) is None


def test_phonenumbers_is_imported_lazily() -> None:
    """No module-level import of phonenumbers in the parsing modules (it is slow to import)."""
    import ast
    from pathlib import Path

    import handlers.parsing.contacts as contacts

    for path in Path(contacts.__file__).parent.glob("*.py"):
        if not (path.name.startswith("amounts") or path.name == "contacts.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "phonenumbers" for n in names), path.name
