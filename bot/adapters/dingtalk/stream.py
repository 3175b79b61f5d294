"""Stream mode through dingtalk-stream 0.24.3: our own supervised connect loop around the SDK's
connection call (blocking `requests`, run in a thread with a timeout), frame routing and acks, plus a
watchdog that reconnects a connection that has gone silent."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

import dingtalk_stream
import websockets
from dingtalk_stream import AckMessage, CallbackHandler, CallbackMessage, ChatbotMessage

from bot.adapters.base import Sink
from bot.adapters.dingtalk.inbound import addressed_to, parse_card_callback, parse_message
from bot.core.dispatch import TaskSet
from bot.core.messages import InboundEvent

log = logging.getLogger("bot.adapters.dingtalk.stream")
OPEN_PATH = "/v1.0/gateway/connections/open"


@dataclass(frozen=True, slots=True)
class StreamOptions:
    ping_interval: float = 60.0  # the SDK's keepalive pings every 60 s (stream.py)
    silent_pings: int = 3  # reconnect after this many ping intervals without a frame or a pong
    open_timeout: float = 15.0
    retry_delay: float = 3.0


class _Handler(CallbackHandler):  # type: ignore[misc]
    """Records the event through the sink and answers the SDK's ack (`{"response": ...}`) once recorded."""

    def __init__(self, parse: Callable[[dict[str, Any]], InboundEvent | None], sink: Sink,
                 response: Any) -> None:
        super().__init__()
        self.parse, self.sink, self.response = parse, sink, response

    async def process(self, message: CallbackMessage) -> tuple[int, Any]:
        event = self.parse(message.data if isinstance(message.data, dict) else {})
        if event is not None:
            try:
                await self.sink.submit(event)  # False for a duplicate delivery: acked all the same
            except Exception:
                log.exception("dingtalk stream event not recorded")
                return AckMessage.STATUS_SYSTEM_EXCEPTION, "not recorded"
        return AckMessage.STATUS_OK, self.response


class StreamRunner:
    def __init__(self, *, app_key: str, app_secret: str, robot_code: str, api_url: str, webhook_prefix: str,
                 clock: Callable[[], datetime], sink: Sink, options: StreamOptions | None = None) -> None:
        self.credential = dingtalk_stream.Credential(app_key, app_secret)
        self.robot_code, self.api_url, self.webhook_prefix = robot_code, api_url.rstrip("/"), webhook_prefix
        self.clock, self.sink = clock, sink
        self.options = options or StreamOptions()
        self.tasks = TaskSet()
        self.connections = 0  # websocket sessions opened so far (tests and logs read it)
        self._heard = time.monotonic()
        self._opening: asyncio.Future[Any] | None = None

    def _client(self) -> dingtalk_stream.DingTalkStreamClient:
        # The SDK builds its connection URL from the class attribute OPEN_CONNECTION_API, fixed at import
        # from $DINGTALK_OPENAPI_ENDPOINT; open_connection reads it through the class, so only the class
        # attribute can point it elsewhere (one DingTalk app per process, so that is safe here).
        dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = self.api_url + OPEN_PATH
        client = dingtalk_stream.DingTalkStreamClient(self.credential, logger=log)
        client.register_callback_handler(ChatbotMessage.TOPIC, _Handler(self._message, self.sink, "OK"))
        client.register_callback_handler(CallbackHandler.TOPIC_CARD_CALLBACK, _Handler(self._card, self.sink, {}))
        client.pre_start()
        return client

    def _message(self, data: dict[str, Any]) -> InboundEvent | None:
        if not addressed_to(data, self.robot_code):
            return None
        return parse_message(data, received_at=self.clock(), webhook_prefix=self.webhook_prefix)

    def _card(self, data: dict[str, Any]) -> InboundEvent | None:
        return parse_card_callback(data, received_at=self.clock())

    async def run(self) -> None:
        """Connect, serve, reconnect — until cancelled. (The SDK's own start() swallows CancelledError and
        calls requests on the event loop, so it is not used.)"""
        while True:
            try:
                await self._serve_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("dingtalk stream connection ended: %r", exc)
            await asyncio.sleep(self.options.retry_delay)

    async def _open(self, client: dingtalk_stream.DingTalkStreamClient) -> Any:
        """open_connection uses requests without a timeout: run it in a thread and stop waiting after
        open_timeout; a call still hanging is awaited again next time rather than piling up threads."""
        if self._opening is None or self._opening.done():
            self._opening = asyncio.ensure_future(asyncio.to_thread(client.open_connection))
        return await asyncio.wait_for(asyncio.shield(self._opening), self.options.open_timeout)

    async def _serve_once(self) -> None:
        client = self._client()
        connection = await self._open(client)
        if not connection:
            raise ConnectionError("gateway/connections/open refused (see the SDK log)")
        uri = f'{connection["endpoint"]}?ticket={quote_plus(connection["ticket"])}'
        async with websockets.connect(uri, ping_interval=None, open_timeout=self.options.open_timeout,
                                      close_timeout=2) as ws:
            client.websocket = ws
            self.connections += 1
            self._heard = time.monotonic()
            watchdog = asyncio.create_task(self._watchdog(ws))
            try:
                async for raw in ws:
                    self._heard = time.monotonic()
                    self.tasks.spawn(self._route(client, ws, json.loads(raw)))
            finally:
                watchdog.cancel()

    async def _route(self, client: dingtalk_stream.DingTalkStreamClient, ws: Any, frame: dict[str, Any]) -> None:
        try:
            # The SDK routes by type/topic, runs our handler and sends its ack on client.websocket.
            if await client.route_message(frame) == client.TAG_DISCONNECT:
                await ws.close()  # the server is rotating connections: reconnect with a new ticket
        except Exception:
            log.exception("dingtalk stream frame failed")

    async def _watchdog(self, ws: Any) -> None:
        """Ping every interval; frames and pongs count as signs of life. After silent_pings intervals of
        silence the connection is closed, which ends _serve_once and makes run() reconnect."""
        interval = self.options.ping_interval
        while True:
            await asyncio.sleep(interval)
            if time.monotonic() - self._heard > interval * self.options.silent_pings:
                log.warning("dingtalk stream silent for %.0f s: reconnecting", time.monotonic() - self._heard)
                ws.transport.abort()
                return
            try:
                pong = await ws.ping()
            except websockets.ConnectionClosed:
                return
            pong.add_done_callback(self._pong)

    def _pong(self, future: asyncio.Future[Any]) -> None:
        if not future.cancelled() and future.exception() is None:
            self._heard = time.monotonic()

    async def stop(self) -> None:
        await self.tasks.drain(5.0)
