"""Command and action routing: names in every language, typed argument parsers, closest-name help."""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.core.replies import ActionRef, Reply

Ctx = TypeVar("Ctx")
HandlerResult = Reply | Sequence[Reply]
ArgParser = Callable[[str, Any], Any]
CommandHandler = Callable[[Any, Any], Awaitable[HandlerResult]]
ActionHandler = Callable[[Any, ActionRef], Awaitable[HandlerResult]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: its key, every name it answers to, how to read its arguments, what runs."""

    key: str
    names: tuple[str, ...]
    parse_args: ArgParser
    handler: CommandHandler


@dataclass(frozen=True, slots=True)
class Match:
    spec: CommandSpec
    rest: str
    name: str  # the command word as typed: its language is the sender's

    @property
    def locale(self) -> str:
        return "zh-CN" if _is_cjk(self.name) else "en"


def _is_cjk(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


class Router(Generic[Ctx]):
    """Holds commands and actions; `match` finds the command a text starts with."""

    def __init__(self) -> None:
        self._by_name: dict[str, CommandSpec] = {}
        self._cjk_names: list[str] = []
        self._actions: dict[str, ActionHandler] = {}
        self.commands: list[CommandSpec] = []

    def command(
        self, key: str, *names: str, args: ArgParser
    ) -> Callable[[CommandHandler], CommandHandler]:
        def register(handler: CommandHandler) -> CommandHandler:
            spec = CommandSpec(key, (key, *names), args, handler)
            for name in spec.names:
                if name.lower() in self._by_name:
                    raise ValueError(f"command name {name!r} registered twice")
                self._by_name[name.lower()] = spec
                if _is_cjk(name):
                    self._cjk_names.append(name)
            # Longest first, so that "下次" never shadows a longer command word.
            self._cjk_names.sort(key=len, reverse=True)
            self.commands.append(spec)
            return handler

        return register

    def action(self, name: str) -> Callable[[ActionHandler], ActionHandler]:
        def register(handler: ActionHandler) -> ActionHandler:
            self._actions[name] = handler
            return handler

        return register

    def match(self, text: str) -> Match | None:
        """The command the text starts with; Chinese command words may be glued to their argument."""
        stripped = text.strip().lstrip("/")
        head, _, rest = stripped.partition(" ")
        spec = self._by_name.get(head.lower())
        if spec is not None:
            return Match(spec, rest.strip(), head)
        for name in self._cjk_names:
            if stripped.startswith(name):
                return Match(self._by_name[name.lower()], stripped[len(name) :].strip(), name)
        return None

    def action_handler(self, name: str) -> ActionHandler | None:
        return self._actions.get(name)

    def closest(self, text: str) -> CommandSpec | None:
        """The command whose name is closest to the first word typed, for the 'did you mean' answer."""
        head = text.strip().lstrip("/").split(" ", 1)[0].lower()[:12]
        if not head:
            return None
        names = list(self._by_name)
        found = difflib.get_close_matches(head, names, n=1, cutoff=0.5)
        if not found and _is_cjk(head):
            found = [n for n in names if n and n[0] == head[0]][:1]
        return self._by_name[found[0]] if found else None
