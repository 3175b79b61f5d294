"""DingTalk enterprise-internal-app robot: HTTP callback or Stream mode in, robot APIs out."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.adapters.base import Capabilities, PlatformSender, Sink
from bot.adapters.dingtalk.api import DingtalkApi
from bot.adapters.dingtalk.render import MAX_BODY_BYTES
from bot.adapters.dingtalk.sender import DingtalkSender
from bot.adapters.dingtalk.stream import StreamOptions, StreamRunner
from bot.adapters.dingtalk.transport import PATH, CallbackRoute
from bot.core.messages import Platform
from config.platforms import DingtalkSettings

__all__ = ["DingtalkAdapter", "StreamOptions", "create_adapter"]


class DingtalkAdapter:
    platform = Platform.DINGTALK.value
    capabilities = Capabilities(buttons=True, images=False, max_text_bytes=MAX_BODY_BYTES, update_in_place=True)

    def __init__(self, settings: DingtalkSettings, clock: Callable[[], datetime], *, http_timeout: float = 10.0,
                 stream_options: StreamOptions | None = None) -> None:
        self.settings, self.clock, self.stream_options = settings, clock, stream_options
        secret = settings.app_secret.get_secret_value()
        self.api = DingtalkApi(settings.api_url, settings.app_key, secret, clock, timeout=http_timeout)
        http_mode = settings.mode == "http"
        self.sender: PlatformSender = DingtalkSender(self.api, settings.robot_code, clock, http_mode=http_mode)
        # sessionWebhooks live on the oapi host (https://oapi.dingtalk.com/robot/sendBySession?session=…).
        self.webhook_prefix = settings.oapi_url.rstrip("/") + "/robot/sendBySession"
        self.runner: StreamRunner | None = None
        self._task: asyncio.Task[None] | None = None

    def install(self, app: web.Application, sink: Sink) -> None:
        if self.settings.mode == "http":
            route = CallbackRoute(sink, app_secret=self.settings.app_secret.get_secret_value(),
                                  robot_code=self.settings.robot_code, webhook_prefix=self.webhook_prefix,
                                  clock=self.clock)
            app.router.add_post(PATH, route.handle)

    async def start(self, sink: Sink) -> None:
        if self.settings.mode != "stream":
            return
        self.runner = StreamRunner(app_key=self.settings.app_key,
                                   app_secret=self.settings.app_secret.get_secret_value(),
                                   robot_code=self.settings.robot_code, api_url=self.settings.api_url,
                                   webhook_prefix=self.webhook_prefix, clock=self.clock, sink=sink,
                                   options=self.stream_options)
        self._task = asyncio.create_task(self.runner.run(), name="dingtalk-stream")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, 5.0)
        if self.runner is not None:
            await self.runner.stop()
        await self.api.close()


def create_adapter(settings: DingtalkSettings, clock: Callable[[], datetime]) -> DingtalkAdapter:
    return DingtalkAdapter(settings, clock)
