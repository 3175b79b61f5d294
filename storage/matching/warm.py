"""What the matcher loads lazily, loaded at once: a long-running process that answers lookups pays for it at
start-up instead of on a rep's first lookup (pypinyin alone takes ~130 ms to import, and the parser's
fingerprint parses its own source). Command-line calls stay light by not calling this."""

from __future__ import annotations

from storage.matching.phones import canonical_phone
from storage.matching.stored_profile import fingerprint
from storage.matching.typos import en_typo, pinyin_key


def warm_up() -> None:
    fingerprint()
    pinyin_key("华为")
    en_typo("huawei", "huawey")
    canonical_phone("+86 138 0013 8000")
