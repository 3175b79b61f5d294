"""Shortcuts in name parsing must not change a single answer: the plain-text path of `normalize` and the
per-length probes of `_strip_legal_zh` are checked against the straightforward versions."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.matching import anatomy
from storage.matching import lexicon as lx
from storage.matching.normalize import _PLAIN, normalize, strip_diacritics
from storage.matching.regions import region_suffix


def slow_strip_legal_zh(s: str, legal: list[str]) -> str:
    """The first version: every legal form and branch word tried with endswith, in lexicon order."""
    if s in lx.LEGAL_ZH:
        legal.append(s)
        return ""
    changed = True
    while changed:
        changed = False
        for form in lx.LEGAL_ZH:
            if s.endswith(form) and len(s) > len(form):
                s, changed = s[: -len(form)], True
                legal.append(form)
                break
        for branch in lx.BRANCH:
            if s.endswith(branch) and len(s) > len(branch) + 1:
                s, changed = s[: -len(branch)], True
                found = region_suffix(s)
                s = found[1] if found else s
                break
    return s


NAME_PARTS = ["华为", "深圳", "上海", "技术", "科技", "有限", "公司", "北京", "分"]
parts = st.sampled_from([*lx.LEGAL_ZH, *lx.BRANCH, *NAME_PARTS])


@settings(max_examples=800, deadline=None)
@given(st.lists(parts, min_size=1, max_size=6))
def test_legal_forms_come_off_as_before(words: list[str]) -> None:
    name = "".join(words)
    fast_legal: list[str] = []
    slow_legal: list[str] = []
    assert anatomy._strip_legal_zh(name, fast_legal) == slow_strip_legal_zh(name, slow_legal)
    assert fast_legal == slow_legal


plain = st.text(alphabet=st.one_of(st.characters(max_codepoint=0x7F),
                                   st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)), max_size=20)


@settings(max_examples=800, deadline=None)
@given(st.one_of(plain, st.text(max_size=20)))
def test_text_the_plain_path_skips_has_no_diacritics_to_strip(text: str) -> None:
    """`normalize` skips `strip_diacritics` exactly when its NFKC form is ASCII and unified ideographs."""
    s = unicodedata.normalize("NFKC", text)
    if _PLAIN.fullmatch(s):
        assert strip_diacritics(s) == s


def test_names_with_diacritics_still_lose_them() -> None:
    assert normalize("Nestlé") == "nestle"
    assert normalize("Société Générale") == "societe generale"
