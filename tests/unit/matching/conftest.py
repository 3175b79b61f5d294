"""Shared fixtures: the labelled evaluation book."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.matching import Book

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session")
def book() -> Book:
    return Book.from_jsonl(DATA / "matching_book.jsonl")
