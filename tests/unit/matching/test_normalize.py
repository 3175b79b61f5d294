"""R1: normalization is always ignorable."""

from __future__ import annotations

import pytest

from storage.matching import compact, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u3000华为\u3000", "华为"),
        ("ＨＵＡＷＥＩ", "huawei"),
        ("（中国）", "(中国)"),
        ("【中国】", "(中国)"),
        ("［中国］", "(中国)"),
        ("Nestlé", "nestle"),
        ("H&R Block", "h and r block"),
        ("J.P. Morgan", "jp morgan"),
        ("Hewlett-Packard", "hewlett packard"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_bracket_styles_compact_alike() -> None:
    assert compact("阿里巴巴（中国）有限公司") == compact("阿里巴巴(中国)有限公司") == "阿里巴巴中国有限公司"


def test_spaces_between_cjk_dropped() -> None:
    assert normalize("华 为 技术") == "华为技术"


@pytest.mark.parametrize("query", ["  华为  ", "ＨＵＡＷＥＩ", "huawei", "华为技术有限公司\u3000"])
def test_normalized_forms_find_huawei(book, query: str) -> None:
    result = book.find(query)
    assert (result.kind, result.top and result.top.record_id) == ("same", "huawei")
