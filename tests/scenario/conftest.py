"""The `world` fixture: a manager and two reps in team sales, one rep in team north, on a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.harness.world import World


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    world = World(database_url)
    await world.add_user("wang", "manager")
    await world.add_user("li")
    await world.add_user("zhang")
    await world.add_user("zhao", team="north")
    await world.add_user("admin", "admin")
    yield world
    await world.close()
