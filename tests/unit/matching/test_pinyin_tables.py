"""The compact phrase table (storage.matching.pinyin_tables) reads exactly as pypinyin's own: the same
table, and the same pinyin keys as a plain pypinyin gives, compared in two clean processes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from storage.matching.pinyin_tables import CompactPhrases, read_phrases

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"


def _phrases_json() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin).with_name("phrases_dict.json")


def test_the_table_holds_every_phrase_with_its_readings() -> None:
    path = _phrases_json()
    compact = read_phrases(path)
    plain = json.loads(path.read_text(encoding="utf-8"))
    assert len(compact) == len(plain) > 40_000
    assert all(compact[phrase] == readings for phrase, readings in plain.items())
    assert compact.get("不是词语") is None
    assert compact.get("一丁点儿") == [["yī"], ["dīng"], ["diǎn"], ["er"]]


def test_pypinyin_writes_are_kept_compact() -> None:
    table = CompactPhrases()
    table.update({"重庆": [["chóng"], ["qìng"]]})
    table["还原"] = [["huán", "hái"], ["yuán"]]
    assert dict.__getitem__(table, "还原") == "huán,hái yuán".encode()
    assert table["重庆"] == [["chóng"], ["qìng"]]


_PLAIN = """
import json, sys
from pypinyin import Style, lazy_pinyin
print(json.dumps(["".join(lazy_pinyin(t, style=Style.NORMAL, errors="default")) for t in json.load(sys.stdin)]))
"""
_OURS = """
import json, sys
from storage.matching.pinyin_tables import CompactPhrases
from storage.matching.typos import pinyin_key
texts = json.load(sys.stdin)
keys = [pinyin_key(t) for t in texts]
import pypinyin.constants
assert isinstance(pypinyin.constants.PHRASES_DICT, CompactPhrases)
print(json.dumps(keys))
"""


def _keys(program: str, texts: list[str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", program], input=json.dumps(texts), capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return list(json.loads(done.stdout))


def test_pinyin_keys_are_the_ones_plain_pypinyin_gives() -> None:
    """Phrases, customer names, and phrases run together (where the segmenter's choice matters)."""
    rng = random.Random(5)
    phrases = sorted(json.loads(_phrases_json().read_text(encoding="utf-8")))
    names = [json.loads(line)["name"] for line in (DATA / "matching_book.jsonl").read_text().splitlines() if line]
    runs = ["".join(rng.sample(phrases, 3)) for _ in range(1500)]
    mixed = [f"{rng.choice(phrases)}{rng.choice('科技贸易有限公司ABC 12·')}{rng.choice(phrases)}" for _ in range(500)]
    texts = phrases[::6] + names + runs + mixed
    ours, plain = _keys(_OURS, texts), _keys(_PLAIN, texts)
    assert len(ours) == len(texts)
    differing = [(t, a, b) for t, a, b in zip(texts, ours, plain, strict=True) if a != b]
    assert differing == []


def test_the_prefix_check_is_pypinyins_prefix_set() -> None:
    from storage.matching.pinyin_tables import PhrasePrefixes

    phrases = ["重庆", "重庆市", "一丁点儿", "中国", "中国人", "长城"]
    prefixes = PhrasePrefixes(phrases)
    every_prefix = {word[: n + 1] for word in phrases for n in range(len(word))}
    probes = every_prefix | {"重", "庆", "中人", "一丁点儿啊", "长", "长江", "", "重庆市区", "国"}
    assert {probe for probe in probes if probe in prefixes} == every_prefix
    prefixes.train(["长江"])
    assert "长江" in prefixes
    assert 5 not in prefixes
