"""A world with team sales (manager wang, reps li and zhang) and team north (rep zhao), for analytics tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.harness.world import World
from tests.unit.analytics.story import START


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    world = World(database_url, now=START)
    await world.add_user("wang", "manager")
    await world.add_user("li")
    await world.add_user("zhang")
    await world.add_user("zhao", team="north")
    yield world
    await world.close()
