"""The WeCom self-built app adapter: HTTP callback routes on the shared server and an aiohttp sender."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.adapters.base import Capabilities, PlatformSender, Sink
from bot.adapters.wecom.api import WecomApi
from bot.adapters.wecom.crypto import WecomCrypto
from bot.adapters.wecom.markup import TEXT_LIMIT
from bot.adapters.wecom.sender import WecomSender
from bot.adapters.wecom.transport import WecomTransport
from config.platforms import PlatformConfigError, WecomSettings

WECOM_CAPS = Capabilities(buttons=True, images=False, max_text_bytes=TEXT_LIMIT, update_in_place=True)


class WecomAdapter:
    platform = "wecom"
    capabilities = WECOM_CAPS

    def __init__(self, settings: WecomSettings, clock: Callable[[], datetime], *, timeout: float = 10.0) -> None:
        if not settings.agent_id.strip().isdigit():
            raise PlatformConfigError("[wecom] agent_id must be the app's numeric AgentId")
        try:
            crypto = WecomCrypto(settings.token.get_secret_value(), settings.encoding_aes_key.get_secret_value(),
                                 settings.corp_id)
        except ValueError as exc:
            raise PlatformConfigError(str(exc)) from None
        self.api = WecomApi(settings.api_url, settings.corp_id, settings.secret.get_secret_value(), timeout=timeout)
        self.sender: PlatformSender = WecomSender(self.api, int(settings.agent_id), clock)
        self.transport = WecomTransport(crypto, clock, agent_id=settings.agent_id.strip())

    def install(self, app: web.Application, sink: Sink) -> None:
        self.transport.install(app, sink)

    async def start(self, sink: Sink) -> None:
        """HTTP callback mode only: nothing to open."""

    async def stop(self) -> None:
        await self.api.close()


def create_adapter(settings: WecomSettings, clock: Callable[[], datetime]) -> WecomAdapter:
    return WecomAdapter(settings, clock)
