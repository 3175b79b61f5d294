"""Is the database at the newest migration (answered without loading Alembic, for CLI start-up speed), and
were its customers' stored match profiles made by this parser?"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision: str = ['\"](\w+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision: str \| None = ['\"](\w+)['\"]", re.MULTILINE)


@cache
def head_revision() -> str:
    revisions, parents = set(), set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        parents.update(_DOWN.findall(source))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {sorted(heads)}")
    head: str = heads.pop()
    return head


async def is_current(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as conn:
            current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except DBAPIError:
        return False
    return current == head_revision()


async def stale_profiles(engine: AsyncEngine, sample: int = 200) -> tuple[int, int]:
    """(stale, looked at) among the newest `sample` customers: a stored match profile that is missing or
    made by another version of the parser (`storage.matching.stored_profile`) is parsed on every lookup,
    which is correct but slow; `dealbot customers reindex` rewrites them."""
    from storage.matching.stored_profile import made_by_this_parser

    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT match_profile FROM customers WHERE deleted_at IS NULL ORDER BY id DESC LIMIT :n"), {"n": sample}
        )).scalars().all()
    return sum(1 for row in rows if not made_by_this_parser(row)), len(rows)
