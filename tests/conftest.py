"""Shared fixtures: a freshly migrated database per test (SQLite file, or PostgreSQL via
DEALBOT_TEST_DATABASE_URL), with its engine and UnitOfWorkFactory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncEngine

from config import DatabaseSettings
from storage.engine import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory
from tests.harness.db import DatabaseSource, open_test_databases

# Database-backed examples vary in speed on shared machines, so no per-example deadline; CI runs
# the same examples every time, so a red build is reproducible.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseSource]:
    """Migrates once per session, and only if some test asks for a database."""
    source = open_test_databases(tmp_path_factory.mktemp("db-template"))
    yield source
    source.close()


@pytest.fixture
def database_url(test_databases: DatabaseSource, tmp_path: Path) -> str:
    """URL of a migrated database holding no rows, its sequences restarted."""
    return test_databases.fresh_url(tmp_path)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(DatabaseSettings(url=database_url))
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(make_sessionmaker(engine))
