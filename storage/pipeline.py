"""The configured pipeline: stage order, names in both languages, next stage, lookup by any name."""

from __future__ import annotations

from functools import cached_property

from config import PipelineSettings, StageSettings

WON, LOST = "won", "lost"
CLOSED = (WON, LOST)


class Pipeline:
    def __init__(self, settings: PipelineSettings) -> None:
        self.stages = list(settings.stages)
        self._by_key = {s.key: s for s in self.stages}

    @cached_property
    def open_keys(self) -> list[str]:
        return [s.key for s in self.stages if s.key not in CLOSED]

    @cached_property
    def _names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for stage in self.stages:
            for name in (stage.key, stage.zh, stage.en, *stage.aliases):
                names[name.casefold()] = stage.key
        return names

    def get(self, key: str) -> StageSettings:
        return self._by_key[key]

    def find(self, name: str) -> str | None:
        """The stage key for any of its names, in either language, ignoring case."""
        return self._names.get(name.strip().casefold())

    def next_after(self, key: str) -> str | None:
        """The stage a plain 推进/move goes to; after the last open stage comes won."""
        if key in CLOSED:
            return None
        keys = self.open_keys
        index = keys.index(key)
        return keys[index + 1] if index + 1 < len(keys) else WON

    def label(self, key: str, locale: str) -> str:
        stage = self._by_key.get(key)
        if stage is None:
            return key
        return stage.zh if locale.startswith("zh") else stage.en
