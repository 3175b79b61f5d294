"""The Slack adapter: slack-bolt receiving on /slack/events (or Socket Mode), Block Kit rendering,
delivery through slack_sdk's AsyncWebClient."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.adapters.base import Capabilities, Sink
from bot.adapters.slack.sender import SlackSender
from bot.adapters.slack.transport import SlackTransport
from config.platforms import SlackSettings

CAPABILITIES = Capabilities(buttons=True, images=False, max_text_bytes=3900, update_in_place=True)


class SlackAdapter:
    platform = "slack"
    capabilities = CAPABILITIES

    def __init__(self, settings: SlackSettings, clock: Callable[[], datetime], *, timeout: float = 10.0) -> None:
        self.sender = SlackSender(settings.bot_token.get_secret_value(), settings.api_url, timeout=timeout)
        self.transport = SlackTransport(settings, clock, self.sender)

    def install(self, app: web.Application, sink: Sink) -> None:
        if not self.transport.settings.socket_mode:
            self.transport.install(app, sink)

    async def start(self, sink: Sink) -> None:
        await self.transport.start(sink)

    async def stop(self) -> None:
        await self.transport.stop()
        await self.sender.close()


def create_adapter(settings: SlackSettings, clock: Callable[[], datetime]) -> SlackAdapter:
    return SlackAdapter(settings, clock)


__all__ = ["CAPABILITIES", "SlackAdapter", "create_adapter"]
