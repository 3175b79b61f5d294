"""R9 typo tests: Chinese homophone / confusable / truncation on 3+ character trade names, and
restricted English edits (omission, doubling, transposition, neighbouring key) on names of 6+ letters.
"""

from __future__ import annotations

from functools import lru_cache

from storage.matching.lexicon import words
from storage.matching.pinyin_tables import load as load_pypinyin

# Visually confusable characters (generic linguistic data): each string is one confusion group.
_CONFUSABLE_GROUPS = words(
    "己已巳 末未 日曰 戊戌戍 土士 人入八 天夭 大太犬 贝见 乌鸟 折拆析 侯候 微徵徽 拨拔 免兔 辨辩辫 "
    "暮幕慕墓 崇祟 汩汨 刺剌 肓盲 赢羸嬴 准淮 王玉主 千干于 氏氐 茶荼 胃胄 冶治 即既 余佘 杨扬 冼洗 "
    "晴睛 陕陜 哀衰衷 檀擅 拆折 孤狐 仑仓 兑兌 锐锑 盅蛊 汨泪 季李 钓钧 幻幼 问间 历厉 厂广"
)
_CONFUSABLE = {ch: frozenset(group) for group in _CONFUSABLE_GROUPS for ch in group}

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, set[str]] = {}
for _r, _row in enumerate(_ROWS):
    for _c, _ch in enumerate(_row):
        near = _NEIGHBOURS.setdefault(_ch, set())
        for _dr in (-1, 0, 1):
            if 0 <= _r + _dr < len(_ROWS):
                other = _ROWS[_r + _dr]
                near.update(other[max(0, _c - 1) : _c + 2])
        near.discard(_ch)


@lru_cache(maxsize=16384)
def readings(ch: str) -> frozenset[str]:
    """Toneless pinyin readings of one character (all heteronyms)."""
    load_pypinyin()  # lazy: pypinyin takes ~130 ms to import
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")  # [] for a digit or a letter
    return frozenset(found[0] if found and found[0] else [ch])


@lru_cache(maxsize=16384)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of a whole trade name, phrase-aware: 字节跳东 -> zijietiaodong."""
    load_pypinyin()
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))


def sounds_or_looks_alike(a: str, b: str) -> bool:
    return bool(readings(a) & readings(b)) or b in _CONFUSABLE.get(a, frozenset())


def zh_typo(query: str, book: str) -> bool:
    """One homophone/confusable substitution, or the last character cut off, on a 3+ character name."""
    if len(book) < 3:
        return False
    if len(query) == len(book):
        diffs = [(q, b) for q, b in zip(query, book, strict=True) if q != b]
        return len(diffs) == 1 and sounds_or_looks_alike(*diffs[0])
    return len(book) >= 4 and query == book[:-1]


def en_typo(query: str, book: str) -> bool:
    """At most two typing slips on a name of six or more letters, starting with the same letter.

    Slips are omitted, doubled or inserted letters, swapped neighbours and neighbouring-key hits. A
    substitution by a far key (PayPay for PayPal, Spotify for Shopify) is a different name.
    """
    if len(book) < 6 or query == book or not query or query[0] != book[0] or abs(len(query) - len(book)) > 2:
        return False
    from rapidfuzz.distance import OSA  # lazy: keeps `import storage.matching` light

    # Every cost of `_slips` is at least the plain alignment's (substitutions cost 1 or 3, not 1), so
    # names more than two plain edits apart are not typos: rapidfuzz (C) rules out most candidates.
    if OSA.distance(query, book, score_cutoff=2) > 2:
        return False
    return _slips(query, book) <= 2


BAND = 2  # a path of at most two slips never strays more than two cells from the diagonal
_FAR = 99  # cells outside the band: never on a path that matters


def _slips(a: str, b: str) -> int:
    """Optimal-string-alignment distance where far-key substitutions cost 3 (never a typo), exact when it
    is at most 2 (and then above 2 otherwise): only the cells within BAND of the diagonal are computed."""
    inf = 3
    rows = [[_FAR] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(min(len(a), BAND) + 1):
        rows[i][0] = i
    for j in range(min(len(b), BAND) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(max(1, i - BAND), min(len(b), i + BAND) + 1):
            if a[i - 1] == b[j - 1]:
                sub = 0
            elif b[j - 1] in _NEIGHBOURS.get(a[i - 1], ()):
                sub = 1
            else:
                sub = inf
            best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            rows[i][j] = best
    if len(a) == len(b) and rows[-1][-1] == 2 and _has_indel_pair(a, b):
        return inf
    return rows[-1][-1]


def _has_indel_pair(a: str, b: str) -> bool:
    """Equal lengths at distance 2 without two neighbour hits or a swap = a deletion plus an insertion,
    which is how a far-key substitution sneaks in (PayPay vs PayPal)."""
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return False
    return not all(b[i] in _NEIGHBOURS.get(a[i], ()) for i in diffs) or len(diffs) > 2
