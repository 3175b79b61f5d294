"""Slack text both ways: escape user text into mrkdwn (so `<!channel>` mentions nobody), turn md-lite
into mrkdwn, and turn an inbound message's Slack markup back into the plain text the user typed."""

from __future__ import annotations

import re

# https://docs.slack.dev/messaging/formatting-message-text#escaping — only these three are control
# characters; escaping anything else would show up literally (`&#39;`).
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
# Inbound: <https://x|label>, <mailto:a@b|a@b>, <tel:138…|138…>, <https://x>; user and channel
# mentions (<@U…>, <#C…|name>) stay as they are, the router ignores them.
_INBOUND_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>]+)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def unescape(text: str) -> str:
    for raw, escaped in reversed(_ESCAPES):
        text = text.replace(escaped, raw)
    return text


def md_lite(text: str) -> str:
    """Escaped mrkdwn of md-lite text: `**bold**` → `*bold*`, `[t](url)` → `<url|t>`, lists as they are."""
    text = escape(text)
    text = _BOLD.sub(r"*\1*", text)
    return _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)


def inbound_text(text: str) -> str:
    """What the user typed: links back to their label, entities decoded, whitespace trimmed."""
    text = _INBOUND_LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:").removeprefix("tel:"), text)
    return unescape(text).strip()


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Drop the bot's own `<@U…>` (anywhere); without a known bot id, a leading mention."""
    if bot_user_id:
        return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    return re.sub(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>", " ", text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible; never loses a character."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut + 1 if cut > 0 else _entity_safe(text, limit)
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _entity_safe(text: str, cut: int) -> int:
    """Move a hard cut before an escaped entity (`&amp;`) it would split."""
    amp = text.rfind("&", max(0, cut - 4), cut)
    return amp if amp > 0 and ";" not in text[amp:cut] else cut
