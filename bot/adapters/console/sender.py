"""Delivers replies to the terminal: prints them and remembers the buttons for `1`, `2`, … input."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.adapters.base import Delivered, SendResult
from bot.adapters.console.render import render, render_push
from bot.core.replies import Button, Reply, dump


class ConsoleSender:
    def __init__(self, write: Callable[[str], None], *, as_json: bool = False) -> None:
        self.write = write
        self.as_json = as_json
        self.buttons: list[Button] = []

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        if self.as_json:
            self.write(json.dumps({"target": dict(target), **dump(reply)}, ensure_ascii=False, default=str))
            return Delivered()
        if target.get("kind") != "conversation":
            self.write(render_push(f"{target.get('kind')}:{target.get('name')}", reply))
            return Delivered()
        text, buttons = render(reply, len(self.buttons) + 1)
        self.buttons += buttons
        self.write(text)
        return Delivered()

    def take_button(self, number: int) -> Button | None:
        """The button printed with this number since the last message, if any."""
        return self.buttons[number - 1] if 0 < number <= len(self.buttons) else None

    def new_turn(self) -> None:
        self.buttons = []
