"""The parsed profile of a customer as the database keeps it (`customers.match_profile`), so that judging a
candidate reads its names' anatomy instead of parsing them: parsing is ~75% of judging, and a lookup at a
million customers judges up to 80 candidates it has never seen.

The stored text carries what it was made from (the registered name, the aliases in order, the city) and a
fingerprint of the parser's own source and Unicode tables. `decode` gives None whenever any of those differ
from the record being judged or from the running code, and the caller parses instead: a stale or foreign
row costs time, never a different answer. `dealbot customers reindex` rewrites every row.
"""

from __future__ import annotations

import ast
import hashlib
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from storage.matching.anatomy import Anatomy
from storage.matching.records import CustomerRecord, Form, Profile

# The modules whose code decides a profile's content (phones and e-mail domains are not stored)
_PARSER_MODULES = ("anatomy", "lexicon", "normalize", "profile", "records", "regions", "stored_profile")


def _without_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return tree


@cache
def fingerprint() -> str:
    """Changes with any change of the parser's code or word lists, or a new Unicode database (NFKC
    normalization is in `normalize`). The syntax tree without docstrings is hashed, not the file:
    comments, docstrings, blank lines and line wrapping leave it alone, so they do not throw every
    stored profile away (~20 ms, once)."""
    digest = hashlib.blake2b(unicodedata.unidata_version.encode(), digest_size=8)
    here = Path(__file__).parent
    for module in _PARSER_MODULES:
        tree = _without_docstrings(ast.parse((here / f"{module}.py").read_text(encoding="utf-8")))
        digest.update(ast.dump(tree).encode())
    return digest.hexdigest()


def encode(p: Profile) -> str:
    """The profile's name part as compact JSON (lists, not objects: this is decoded thousands of times a second)."""
    r = p.record
    forms = [[f.anatomy.text, f.anatomy.script, f.anatomy.regions, f.anatomy.trade, f.anatomy.descriptors,
              f.anatomy.formal, f.anatomy.qualified, f.anatomy.words, f.formal, f.abbreviation] for f in p.forms]
    bound = [[trade, [sorted(s) for s in sets]] for trade, sets in p.bound]
    return json.dumps([fingerprint(), r.name, r.aliases, r.city, forms, p.city, p.bound_region, bound,
                       p.formal_trade, sorted(p.formal_descriptors)], ensure_ascii=False, separators=(",", ":"))


def made_by_this_parser(text: str | None) -> bool:
    """True when `text` is a stored profile stamped with this parser's fingerprint (without decoding it)."""
    return text is not None and text.startswith(f'["{fingerprint()}"')


def _form(f: list[Any]) -> Form:
    text, script, regions, trade, descriptors, formal, qualified, words, form_formal, abbreviation = f
    return Form(Anatomy(text, script, tuple(regions), trade, tuple(descriptors), formal, qualified, tuple(words)),
                form_formal, abbreviation)


def decode(text: str, record: CustomerRecord, phones: frozenset[str], domains: tuple[str, ...]) -> Profile | None:
    """The stored profile of `record`, or None when it was not made from this record's names and city by this
    code (or is not a stored profile at all)."""
    try:
        stamp, name, aliases, city, forms, canonical_city, bound_region, bound, formal_trade, formal_descriptors = (
            json.loads(text))
    except (ValueError, TypeError):
        return None
    if stamp != fingerprint() or name != record.name or city != record.city or tuple(aliases) != record.aliases:
        return None
    return Profile(
        record=record,
        forms=tuple(_form(f) for f in forms),
        city=canonical_city,
        bound_region=bound_region,
        bound=tuple((trade, tuple(frozenset(s) for s in sets)) for trade, sets in bound),
        formal_trade=formal_trade,
        formal_descriptors=frozenset(formal_descriptors),
        phones=phones,
        domains=domains,
    )
