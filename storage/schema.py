"""Is the database at the newest migration? Answered without loading Alembic (CLI start-up speed)."""

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
