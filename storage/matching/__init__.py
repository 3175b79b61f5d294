"""Customer matching: is what a rep typed a customer the book already holds? (conventions R1–R14)

Pure Python and import-light: pypinyin, rapidfuzz and phonenumbers load on first use.
"""

from storage.matching.anatomy import Anatomy, parse
from storage.matching.book import Book, NotSamePairs, answer, asked_texts, decide, early_answer, record_from_json
from storage.matching.judge import judge
from storage.matching.keys import KEY_KINDS, Key, index_keys, query_keys
from storage.matching.normalize import compact, normalize
from storage.matching.phones import canonical_phone
from storage.matching.records import Candidate, CustomerRecord, MatchResult, Verdict

__all__ = [
    "KEY_KINDS",
    "Anatomy",
    "Book",
    "Candidate",
    "CustomerRecord",
    "Key",
    "MatchResult",
    "NotSamePairs",
    "Verdict",
    "answer",
    "asked_texts",
    "canonical_phone",
    "compact",
    "decide",
    "early_answer",
    "index_keys",
    "judge",
    "normalize",
    "parse",
    "query_keys",
    "record_from_json",
]
