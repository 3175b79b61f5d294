"""Slack receiving: POST /slack/events (commands, events, interactivity) verified before anything else,
then a slack-bolt AsyncApp whose listeners record the event in the sink and ack; or Socket Mode."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.adapters.base import Sink
from bot.adapters.slack.inbound import parse
from bot.adapters.slack.modals import modal_view
from bot.adapters.slack.sender import SlackSender
from bot.core.dispatch import TaskSet
from bot.core.errors import BadAction
from bot.core.messages import InboundAction
from bot.core.replies import ActionRef
from config.platforms import SlackSettings

log = logging.getLogger("bot.adapters.slack.transport")
ROUTE = "/slack/events"
ANY = re.compile(".*")


class _Clock(SignatureClock):
    """slack_sdk's verifier on our injected clock, so the 5-minute window is testable (and the doc vector)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock().timestamp()


class SlackTransport:
    def __init__(self, settings: SlackSettings, clock: Callable[[], datetime], sender: SlackSender) -> None:
        self.settings = settings
        self.clock = clock
        self.sender = sender
        self.tasks = TaskSet()
        # https://docs.slack.dev/authentication/verifying-requests-from-slack — v0 HMAC-SHA256 over
        # `v0:{ts}:{body}`, five-minute window, constant-time compare (slack_sdk's SignatureVerifier).
        self.verifier = SignatureVerifier(settings.signing_secret.get_secret_value(), clock=_Clock(clock))
        self.bolt: AsyncApp | None = None
        self.socket: AsyncSocketModeHandler | None = None

    def build(self, sink: Sink) -> AsyncApp:
        """The bolt app: catch-all listeners that only record and ack.

        - request_verification_enabled=False: `handle` verifies first (same algorithm) on the injected clock.
        - authorize builds the AuthorizeResult from config: bolt's `token=` path calls auth.test on the first
          request and again on every request while it fails (0.85 s and a 500 each, offline).
        - process_before_response=True: the listener's own `await ack()` ends the request; the default
          polls for the ack every 10 ms, a 10 ms floor under every answer.
        """
        bot_token = self.settings.bot_token.get_secret_value()

        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

        bolt = AsyncApp(name="dealbot", signing_secret=self.settings.signing_secret.get_secret_value(),
                        authorize=authorize, client=AsyncWebClient(base_url=self.sender.api_url),
                        process_before_response=True, request_verification_enabled=False)

        async def record(body: dict[str, Any], ack: AsyncAck) -> None:
            event = parse(body, self.clock())
            if isinstance(event, InboundAction) and self._opens_modal(event, body, sink):
                pass  # the modal is being opened; its submission becomes the command
            elif event is not None:
                await sink.submit(event)  # durable before the ack; False (a retry) is acked all the same
            await ack()

        bolt.command(ANY)(record)
        bolt.event(ANY)(record)
        bolt.action(ANY)(record)
        bolt.view(ANY)(record)
        self.bolt = bolt
        return bolt

    def install(self, app: web.Application, sink: Sink) -> None:
        bolt = self.build(sink)

        async def handle(request: web.Request) -> web.Response:
            started = time.perf_counter()
            raw = await request.read()  # the signature covers the raw bytes, before any parsing
            if not self._verified(raw, request):
                metrics.REQUESTS.labels("slack", "refused").inc()
                return web.json_response({"error": "invalid request"}, status=401)
            bolt_request = AsyncBoltRequest(body=raw.decode("utf-8", "replace"), query=request.query_string,
                                            headers=dict(request.headers))
            response = await to_aiohttp_response(await bolt.async_dispatch(bolt_request))
            metrics.ACK_SECONDS.labels("slack").observe(time.perf_counter() - started)
            metrics.REQUESTS.labels("slack", "ok" if response.status < 400 else "error").inc()
            return response

        app.router.add_post(ROUTE, handle)

    def _verified(self, raw: bytes, request: web.Request) -> bool:
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        if not timestamp or not signature or not timestamp.isdigit():
            return False
        return self.verifier.is_valid(raw, timestamp, signature)

    def _opens_modal(self, event: InboundAction, body: dict[str, Any], sink: Sink) -> bool:
        """Log/Remind clicks open a modal (views.open needs the trigger_id within 3 s, so after the ack)."""
        try:
            action = ActionRef.unpack(event.action)
        except BadAction:
            return False
        conv = event.conversation
        view = modal_view(action, {"team": conv.tenant, "channel": conv.channel, "thread": conv.thread,
                                   "direct": conv.is_direct})
        trigger = body.get("trigger_id")
        if view is None or not trigger:
            return False
        self.tasks.spawn(self._open_modal(str(trigger), view, event, sink))
        return True

    async def _open_modal(self, trigger: str, view: dict[str, Any], event: InboundAction, sink: Sink) -> None:
        try:
            if not await self.sender.open_view(trigger, view):
                await sink.submit(event)  # no modal (expired trigger, Slack down): the typed-command prompt
        except Exception:
            log.exception("opening the modal failed", extra={"event_key": event.event_key})

    async def start(self, sink: Sink) -> None:
        """Socket Mode: the same bolt app fed over Slack's WebSocket (no public URL, no signatures)."""
        if not self.settings.socket_mode:
            return
        bolt = self.bolt or self.build(sink)
        web_client = AsyncWebClient(base_url=self.sender.api_url)
        self.socket = AsyncSocketModeHandler(bolt, self.settings.app_token.get_secret_value(), web_client=web_client)
        await self.socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()  # type: ignore[no-untyped-call]
            self.socket = None
        await self.tasks.drain(within=3.0)
