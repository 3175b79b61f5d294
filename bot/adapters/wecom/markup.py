"""WeCom text rules: escaping user text for `text` and `markdown` messages, and splitting at the 2048-byte
limit on UTF-8 character boundaries (never truncating)."""

from __future__ import annotations

import re

# message/send `text` and `markdown` content, appchat and robot `text`: at most 2048 bytes, the excess is cut
# off by WeCom (https://developer.work.weixin.qq.com/document/path/90236, path/91770).
TEXT_LIMIT = 2048

# `text` content renders <a href> links (path/90236); any other `<` stays literal.
_TAG = re.compile(r"<(?=\s*[A-Za-z/!@])")
# WeCom markdown (path/90236 "markdown消息"): <@userid> mentions in robot messages, <font>, [t](url), **bold**,
# `code`, "> " quotes and "#" headings. Full-width look-alikes keep the text readable and inert.
_MARKDOWN = str.maketrans({"<": "＜", ">": "＞", "[": "［", "]": "］", "*": "＊", "`": "｀", "\\": "＼"})
_HEADING = re.compile(r"^(\s*)#", re.MULTILINE)


def escape_text(text: str) -> str:
    """User text inside a `text` message: no tag can open, so no link and no <@mention> appears."""
    return _TAG.sub("＜", text)


def escape_markdown(text: str, *, line_start: bool = True) -> str:
    """User text inside a `markdown` message: shown as typed, interpreted as nothing. A `#` only makes a
    heading at the start of a line, so text placed after a label keeps its `#42`."""
    escaped = text.translate(_MARKDOWN)
    return _HEADING.sub(r"\1＃", escaped) if line_start else escaped


def utf8_len(text: str) -> int:
    return len(text.encode())


def split_bytes(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends where possible; their concatenation
    (with the cut newlines) is the whole text."""
    if utf8_len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if utf8_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while utf8_len(line) > limit:
            head = _cut(line, limit)
            pieces.append(head)
            line = line[len(head):]
        current = line
    if current:
        pieces.append(current)
    return pieces


def _cut(line: str, limit: int) -> str:
    """The longest prefix of `line` within `limit` bytes (never half a character)."""
    data = line.encode()[:limit]
    return data.decode("utf-8", "ignore")


def shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"
