"""Message catalogs and `t(key, locale, **params)`; catalogs are registered by the handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_LOCALE = "zh-CN"
LOCALES = ("zh-CN", "en")

_catalogs: dict[str, dict[str, str]] = {}
_NONE: dict[str, str] = {}


def register(locale: str, messages: Mapping[str, str]) -> None:
    """Add (or override) messages for a locale."""
    _catalogs.setdefault(locale, {}).update(messages)


def has(key: str, locale: str = DEFAULT_LOCALE) -> bool:
    return key in _catalogs.get(locale, {})


def t(key: str, locale: str = DEFAULT_LOCALE, /, **params: Any) -> str:
    """The message for key in locale, falling back to the default locale, then to the key itself."""
    template = _catalogs.get(locale, _NONE).get(key) or _catalogs.get(DEFAULT_LOCALE, _NONE).get(key)
    if template is None:
        return key
    if not params and "{" not in template:  # most labels: nothing to fill in (a tick asks ~20 per push)
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def guess_locale(text: str) -> str:
    """zh-CN when the text has any CJK ideograph, else en: a reply follows the sender's language."""
    return "zh-CN" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
