"""The funnel chart: a PNG, with Chinese stage names drawn from a font that has their glyphs."""

from __future__ import annotations

import warnings

from reminders.charts import Bar, cjk_font_path, funnel_png

BARS = [Bar("线索", 10, "→ 60%"), Bar("初步筛选", 6, "→ 50%"), Bar("需求确认", 3), Bar("赢单", 1)]


def test_chart_is_a_png() -> None:
    png = funnel_png(BARS, "销售漏斗", "商机数")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5_000


def test_chinese_labels_raise_no_missing_glyph_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        funnel_png(BARS, "销售漏斗 · 团队", "商机数")
    assert [str(w.message) for w in caught if "glyph" in str(w.message).lower()] == []


def test_the_font_has_the_glyphs() -> None:
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(cjk_font_path()))
    assert all(font.get_char_index(ord(ch)) != 0 for ch in "线索初步筛选需求确认方案沟通报价谈判赢单输单销售漏斗")


def test_an_empty_funnel_still_renders() -> None:
    assert funnel_png([Bar("线索", 0), Bar("赢单", 0)], "销售漏斗", "商机数").startswith(b"\x89PNG")
