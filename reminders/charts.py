"""The funnel as a bar chart PNG (matplotlib, Agg), with a CJK font so Chinese stage names are legible.

matplotlib loads lazily on first use. The font is Noto Sans CJK SC from the `mplfonts` package, or a
system CJK font (fonts-noto-cjk, fonts-wqy-microhei) when that package is absent.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.core.i18n import t
from storage.analytics_dto import Funnel
from storage.pipeline import Pipeline

log = logging.getLogger(__name__)

_BUNDLED = ("NotoSansCJKsc-Regular.otf", "SourceHanSerifSC-Regular.otf")
_SYSTEM_HINTS = ("NotoSansCJK", "NotoSansSC", "wqy-microhei", "wqy-zenhei", "SourceHanSans", "DroidSansFallback")
_BAR = "#3b7dd8"
_WON = "#2e9d5b"
_lock = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    note: str = ""  # e.g. the conversion to the next stage, drawn after the bar


class NoCjkFont(RuntimeError):
    pass


def cjk_font_path() -> Path:
    """A font file with CJK glyphs: the bundled Noto Sans CJK, else the first system one found."""
    try:
        fonts = resources.files("mplfonts") / "fonts"
        for name in _BUNDLED:
            candidate = fonts / name
            if candidate.is_file():
                return Path(str(candidate))
    except ModuleNotFoundError:
        pass
    from matplotlib import font_manager

    for found in sorted(font_manager.findSystemFonts()):
        if any(hint.lower() in Path(found).name.lower() for hint in _SYSTEM_HINTS):
            return Path(found)
    raise NoCjkFont("no font with CJK glyphs: install mplfonts (or fonts-noto-cjk)")


@cache
def _font_family() -> str:
    """Registers the CJK font with matplotlib once and returns its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def funnel_png(bars: Sequence[Bar], title: str, axis_label: str, *, dpi: int = 110) -> bytes:
    """Horizontal bars, first stage on top, each labelled with its count and note; PNG bytes.

    CPU-bound (about 0.1 s); call it through `asyncio.to_thread` from async code.
    """
    with _lock:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        family = _font_family()
        with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}):
            figure = Figure(figsize=(6.4, 0.5 * len(bars) + 1.4), dpi=dpi)
            FigureCanvasAgg(figure)
            axes: Any = figure.add_subplot()
            labels = [bar.label for bar in bars]
            values = [bar.value for bar in bars]
            colors = [_WON if i == len(bars) - 1 else _BAR for i in range(len(bars))]
            positions = list(range(len(bars)))
            axes.barh(positions, values, color=colors)
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_title(title)
            axes.set_xlabel(axis_label)
            top = max(values, default=0) or 1
            axes.set_xlim(0, top * 1.35)
            for position, bar in zip(positions, bars, strict=True):
                text = f"{bar.value}  {bar.note}".rstrip()
                axes.text(bar.value + top * 0.02, position, text, va="center")
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
    return buffer.getvalue()


def funnel_bars(funnel: Funnel, pipeline: Pipeline, locale: str) -> list[Bar]:
    return [Bar(pipeline.label(s.stage, locale), s.reached,
                f"→ {s.to_next.percent()}" if s.to_next is not None and s.to_next.den else "")
            for s in funnel.stages]


async def funnel_chart_b64(funnel: Funnel, pipeline: Pipeline, locale: str) -> str | None:
    """The funnel chart as base64 PNG, or None when it cannot be drawn (the text table still goes out)."""
    try:
        png = await asyncio.to_thread(funnel_png, funnel_bars(funnel, pipeline, locale),
                                      t("report.chart_title", locale), t("report.chart_axis", locale))
    except Exception:  # a missing font or matplotlib must not cost the report itself
        log.exception("funnel chart failed; sending the report without it")
        return None
    return base64.b64encode(png).decode("ascii")
