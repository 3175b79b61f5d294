"""In-memory customer book: indexes records by `index_keys`, finds candidates by `query_keys` and
turns the per-candidate verdicts into one answer (R7 granularity, R10 generic, R11 ambiguous, R6b JVs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from storage.matching.judge import judge_prepared, rank
from storage.matching.keys import Key, index_keys, prepared_keys
from storage.matching.normalize import compact
from storage.matching.profile import Profile, profile_of
from storage.matching.query import Query, prepare
from storage.matching.records import Candidate, CustomerRecord, MatchResult, Verdict

_LISTED = ("short", "partial")
NOTHING = MatchResult("none")
GENERIC = MatchResult("ambiguous")


class NotSamePairs:
    """Answers a rep gave to "是同一家吗?" with no: (query, record id) pairs never proposed again."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._pairs = {(compact(query), record_id) for query, record_id in pairs}

    def add(self, query: str, record_id: str) -> None:
        self._pairs.add((compact(query), record_id))

    def __contains__(self, pair: object) -> bool:
        if not self._pairs:  # the usual case: no answer remembered, nothing to normalize
            return False
        return isinstance(pair, tuple) and len(pair) == 2 and (compact(str(pair[0])), pair[1]) in self._pairs

    def __len__(self) -> int:
        return len(self._pairs)


def _candidates(scored: list[tuple[str, Verdict]]) -> tuple[Candidate, ...]:
    ordered = sorted(scored, key=lambda item: (tuple(-x for x in rank(item[1])), item[0]))
    return tuple(Candidate(rid, v.match, round(v.score, 3), v.reason) for rid, v in ordered)


def decide(q: Query, verdicts: dict[str, Verdict]) -> MatchResult:
    """Combine per-candidate verdicts into the book's answer."""
    sames = [(rid, v) for rid, v in verdicts.items() if v.match == "same"]
    listed = [(rid, v) for rid, v in verdicts.items() if v.match == "possible" and v.reason in _LISTED]
    shorts = [(rid, v) for rid, v in listed if v.reason == "short"]
    possibles = [(rid, v) for rid, v in verdicts.items() if v.match == "possible" and v.reason not in _LISTED]
    bare = q.main is not None and q.main.bare
    if sames:
        top_tier = max(v.tier for _, v in sames)
        top = [(rid, v) for rid, v in sames if v.tier == top_tier]
        if len(top) == 1 and not (bare and shorts):
            return MatchResult("same", _candidates(top))
        return MatchResult("ambiguous", _candidates((sames if len(top) == 1 else top) + (shorts if bare else [])))
    if listed:
        return MatchResult("ambiguous", _candidates(listed))
    if possibles:
        return MatchResult("possible", _candidates(possibles))
    return NOTHING


def early_answer(q: Query) -> MatchResult | None:
    """The answer that needs no lookup: nothing to look for, or only generic words (R10)."""
    if q.phone is None and q.domain is None and (not q.variants or q.generic):
        return NOTHING if not q.variants else GENERIC
    return None


class Profiles(dict[str, Profile]):
    """The candidates' profiles for one answer, each made once: a joint-venture query judges every
    candidate up to seven times (the query and each pair of partner names)."""

    def __init__(self, records: Mapping[str, CustomerRecord]) -> None:
        super().__init__()
        self.records = records

    def __missing__(self, rid: str) -> Profile:
        made = self[rid] = profile_of(self.records[rid])
        return made


def _verdicts(q: Query, ids: Iterable[str], profiles: Profiles, not_same: NotSamePairs) -> dict[str, Verdict]:
    verdicts = {}
    for rid in ids:
        if (q.text, rid) in not_same or rid not in profiles.records:
            continue
        verdict = judge_prepared(q, profiles[rid])
        if verdict.match != "none":
            verdicts[rid] = verdict
    return verdicts


def names_one_exactly(q: Query) -> bool:
    """True when `exact_answer` may answer: one parse of a name that is not bare (a bare name must also
    list the customers it is short for, R11), and no phone or e-mail domain."""
    return q.phone is None and q.domain is None and len(q.variants) == 1 and q.main is not None and not q.main.bare


def exact_answer(q: Query, named: Mapping[str, CustomerRecord], not_same: NotSamePairs) -> MatchResult | None:
    """The answer from the customers stored under the query's exact name key alone, when at least one of
    them is an exact match (tier 3): `same` for one, `ambiguous` listing each for several (two customers
    registered under one name). For a query where `names_one_exactly` holds, `answer` over every
    candidate says the same: tier 3 comes only from an equal name core (phones and domains are not
    asked), every customer with that core is stored under the name key, so no other candidate can tie or
    outrank them; only the top tier is listed, and a name that is not bare lists no short names."""
    exact = []
    for rid in sorted(named):
        if (q.text, rid) in not_same:
            continue
        verdict = judge_prepared(q, profile_of(named[rid]))
        if verdict.match == "same" and verdict.tier == 3:
            exact.append((rid, verdict))
    if not exact:
        return None
    return MatchResult("same" if len(exact) == 1 else "ambiguous", _candidates(exact))


def answer(q: Query, ids: Iterable[str], records: Mapping[str, CustomerRecord], not_same: NotSamePairs) -> MatchResult:
    """The book's answer from the candidates found by `prepared_keys(q)`: shared by the in-memory Book
    and the database matcher, so both answer alike for the same records."""
    ids, profiles = sorted(set(ids)), Profiles(records)
    result = decide(q, _verdicts(q, ids, profiles, not_same))
    if result.kind in ("none", "possible"):
        return _joint_venture(q, ids, profiles, not_same) or result
    return result


def _partner_queries(q: Query) -> list[tuple[Query, Query]]:
    a = q.main
    if a is None or a.script != "zh" or not 4 <= len(a.trade) <= 6:
        return []
    return [(prepare(a.trade[:i]), prepare(a.trade[i:] + "".join(a.descriptors))) for i in range(2, len(a.trade) - 1)]


def asked_texts(q: Query) -> list[str]:
    """The texts whose "not the same" answers can change `answer(q, ...)`: the query and its JV halves."""
    return [q.text, *(part.text for pair in _partner_queries(q) for part in pair)]


def _joint_venture(q: Query, ids: list[str], profiles: Profiles, not_same: NotSamePairs) -> MatchResult | None:
    """R6b: 长安福特 names two partners; list both."""
    for left_q, right_q in _partner_queries(q):
        left = decide(left_q, _verdicts(left_q, ids, profiles, not_same))
        right = decide(right_q, _verdicts(right_q, ids, profiles, not_same))
        if left.kind in ("same", "ambiguous") and right.kind in ("same", "ambiguous"):
            both = {c.record_id: c for c in (*left.candidates, *right.candidates)}
            if len(both) >= 2:
                return MatchResult("ambiguous", tuple(both.values()))
    return None


class Book:
    """The customers dealbot holds, indexed the way the `customer_keys` table will be."""

    def __init__(self, records: Iterable[CustomerRecord] = (), not_same: NotSamePairs | None = None) -> None:
        self._records: dict[str, CustomerRecord] = {}
        self._keys: dict[str, set[Key]] = {}
        self._index: dict[Key, set[str]] = {}
        self.not_same = not_same if not_same is not None else NotSamePairs()
        for record in records:
            self.add(record)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> Book:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return cls(record_from_json(json.loads(line)) for line in lines if line.strip())

    def __len__(self) -> int:
        return len(self._records)

    def get(self, record_id: str) -> CustomerRecord:
        return self._records[record_id]

    def add(self, record: CustomerRecord) -> None:
        """Add or replace a record (for example after a rep confirmed a new alias)."""
        self.remove(record.id)
        self._records[record.id] = record
        self._keys[record.id] = index_keys(record)
        for key in self._keys[record.id]:
            self._index.setdefault(key, set()).add(record.id)

    def remove(self, record_id: str) -> None:
        for key in self._keys.pop(record_id, set()):
            self._index[key].discard(record_id)
        self._records.pop(record_id, None)

    def candidate_ids(self, keys: Iterable[Key]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found |= self._index.get(key, set())
        return found

    def find(self, query: str) -> MatchResult:
        q = prepare(query)
        early = early_answer(q)
        if early is not None:
            return early
        return answer(q, self.candidate_ids(prepared_keys(q)), self._records, self.not_same)


def record_from_json(data: dict[str, object]) -> CustomerRecord:
    def strings(field: str) -> tuple[str, ...]:
        value = data.get(field) or ()
        return tuple(str(v) for v in value) if isinstance(value, list | tuple) else (str(value),)

    city, owner = data.get("city"), data.get("owner")
    return CustomerRecord(
        id=str(data["id"]),
        name=str(data["name"]),
        aliases=strings("aliases"),
        city=str(city) if city else None,
        phones=strings("phones"),
        email_domains=strings("email_domains"),
        owner=str(owner) if owner else None,
    )
