"""R14: e-mail domains. Extract the domain of an address or bare domain and compare it to a book domain.

Public webmail never identifies a company, even when the provider itself is a customer.
"""

from __future__ import annotations

import re

from storage.matching.lexicon import words

WEBMAIL = frozenset(
    words(
        "163.com 126.com yeah.net netease.net qq.com foxmail.com vip.qq.com aliyun.com gmail.com googlemail.com "
        "outlook.com hotmail.com live.com msn.com icloud.com me.com mac.com sina.com sina.cn sohu.com "
        "yahoo.com yahoo.com.cn 139.com 189.cn wo.cn proton.me protonmail.com aol.com yandex.ru mail.ru"
    )
)
_ADDRESS = re.compile(r"[\w.%+\-]+@([a-z0-9\-]+(?:\.[a-z0-9\-]+)+)", re.I)
_BARE = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})/?", re.I)


def email_domain(text: str) -> str | None:
    """The domain of `a@b.com`, `Name <a@b.com>`, `mailto:a@b.com` or a bare `b.com`, lower-cased."""
    s = text.strip().removeprefix("mailto:").strip()
    found = _ADDRESS.search(s)
    if found:
        return found.group(1).lower().strip(".")
    bare = _BARE.fullmatch(s)
    return bare.group(1).lower() if bare else None


def is_address(text: str) -> bool:
    return _ADDRESS.search(text) is not None


def parents(domain: str) -> list[str]:
    """`mail.xiaomi.com` -> [`mail.xiaomi.com`, `xiaomi.com`]: the domain and its parents of 2+ labels."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def is_webmail(domain: str) -> bool:
    return any(parent in WEBMAIL for parent in parents(domain))


def domain_matches(domain: str, book_domain: str) -> bool:
    """Equal to the book's domain or a subdomain of it (`us.ibm.com` for `ibm.com`)."""
    book = book_domain.lower().strip(".")
    return not is_webmail(domain) and (domain == book or domain.endswith("." + book))
