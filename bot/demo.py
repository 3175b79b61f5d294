"""`dealbot demo`: a demo team to try every command at once (filled in by a later commit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from config import Settings

DEMO_MANAGER = "wang"


async def seed(settings: Settings, clock: Callable[[], datetime]) -> str:
    raise NotImplementedError


async def seed_if_empty(settings: Settings, clock: Callable[[], datetime]) -> None:
    raise NotImplementedError
