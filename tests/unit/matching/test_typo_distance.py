"""The English typo test computes its distance only near the diagonal and skips names rapidfuzz already
rules out: both shortcuts must agree with the full computation on every pair of names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.matching import typos


def full_slips(a: str, b: str) -> int:
    """The whole optimal-string-alignment matrix, far-key substitutions costing 3 (the reference)."""
    inf = 3
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            near = b[j - 1] in typos._NEIGHBOURS.get(a[i - 1], ())
            sub = 0 if a[i - 1] == b[j - 1] else 1 if near else inf
            best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            rows[i][j] = best
    if len(a) == len(b) and rows[-1][-1] == 2 and typos._has_indel_pair(a, b):
        return inf
    return rows[-1][-1]


def full_en_typo(query: str, book: str) -> bool:
    if len(book) < 6 or query == book or not query or query[0] != book[0] or abs(len(query) - len(book)) > 2:
        return False
    return full_slips(query, book) <= 2


names = st.text(alphabet="aqswdefrgtyhjuiklop", min_size=1, max_size=12)


@st.composite
def slipped(draw: st.DrawFn) -> tuple[str, str]:
    """A name and the same name with up to three random slips (so that near and far pairs both come up)."""
    name = draw(st.text(alphabet="aqswdefrgtyhjuiklop", min_size=6, max_size=12))
    typed = list(name)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(typed) - 1))
        action = draw(st.sampled_from(["drop", "double", "swap", "replace"]))
        if action == "drop" and len(typed) > 1:
            del typed[at]
        elif action == "double":
            typed.insert(at, typed[at])
        elif action == "swap" and at + 1 < len(typed):
            typed[at], typed[at + 1] = typed[at + 1], typed[at]
        elif action == "replace":
            typed[at] = draw(st.sampled_from("aqswdefrgtyhjuiklop"))
    return "".join(typed), name


@settings(max_examples=600, deadline=None)
@given(slipped())
def test_banded_distance_and_prefilter_agree_with_the_full_matrix(pair: tuple[str, str]) -> None:
    query, book = pair
    assert typos.en_typo(query, book) == full_en_typo(query, book)
    if full_slips(query, book) <= 2:
        assert typos._slips(query, book) == full_slips(query, book)
    else:
        assert typos._slips(query, book) > 2


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_unrelated_names_agree_too(query: str, book: str) -> None:
    assert typos.en_typo(query, book) == full_en_typo(query, book)


def test_known_pairs() -> None:
    assert typos.en_typo("micrsoft", "microsoft")
    assert typos.en_typo("microsfot", "microsoft")
    assert not typos.en_typo("paypay", "paypal")
    assert not typos.en_typo("spotify", "shopify")
