"""Loads the message catalogs in locales/ into bot.core.i18n."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.core import i18n

LOCALES_DIR = Path(__file__).parent / "locales"


def load_catalogs() -> None:
    for path in LOCALES_DIR.glob("*.toml"):
        with path.open("rb") as handle:
            i18n.register(path.stem, tomllib.load(handle))
