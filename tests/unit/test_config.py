"""Settings: the example config documents the defaults, and the environment wins over the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Settings, load_settings

EXAMPLE = Path(__file__).parents[2] / "dealbot.example.toml"


def test_example_config_loads_and_equals_the_defaults() -> None:
    assert load_settings(EXAMPLE).model_dump() == Settings().model_dump()


def test_environment_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALBOT_DATABASE__URL", "sqlite+aiosqlite:///other.db")
    assert load_settings(EXAMPLE).database.url == "sqlite+aiosqlite:///other.db"


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_settings(tmp_path / "nope.toml")
