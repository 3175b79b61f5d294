"""`dealbot chat`: the real dispatcher and outbox worker, with the terminal as the platform."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from datetime import datetime

from bot.adapters.console.sender import ConsoleSender
from bot.app import App, build_app
from bot.core.messages import ConversationRef, InboundAction, InboundEvent, InboundMessage, Platform, PlatformUser
from config import Settings

PROMPT = "> "


def console_event(login: str, line: str, now: datetime, button_action: str | None = None) -> InboundEvent:
    conversation = ConversationRef(Platform.CONSOLE, "local", login, is_direct=True)
    sender = PlatformUser(Platform.CONSOLE, login, login)
    key = f"console:{uuid.uuid4().hex}"
    if button_action is not None:
        return InboundAction(key, conversation, sender, button_action, now)
    return InboundMessage(key, conversation, sender, line, now)


class ConsoleChat:
    """One person at the terminal: lines become messages, `N` presses button N of the last reply."""

    def __init__(self, app: App, login: str, sender: ConsoleSender) -> None:
        self.app = app
        self.login = login
        self.sender = sender
        self.worker = app.worker({"console": sender}, notice_platform="console")

    async def say(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        button = self.sender.take_button(int(text)) if text.isdigit() and len(text) <= 2 else None
        self.sender.new_turn()
        event = console_event(self.login, text, self.app.clock(), button.action.pack() if button else None)
        await self.app.dispatcher.handle(event)
        await self.worker.drain()


async def run_chat(settings: Settings, login: str, clock: Callable[[], datetime], *, as_json: bool) -> int:
    app = build_app(settings, clock)
    interactive = sys.stdin.isatty()
    sender = ConsoleSender(print, as_json=as_json)
    chat = ConsoleChat(app, login, sender)
    try:
        if interactive and not as_json:
            print(f"dealbot — {login}. 帮助/help for commands, Ctrl-D to leave.")
        await chat.worker.drain()  # anything still owed to the console from before
        while True:
            line = await asyncio.to_thread(_read_line, interactive)
            if line is None:
                return 0
            await chat.say(line)
    finally:
        await app.close()


def _read_line(interactive: bool) -> str | None:
    try:
        return input(PROMPT) if interactive else (sys.stdin.readline() or None)
    except EOFError:
        return None
