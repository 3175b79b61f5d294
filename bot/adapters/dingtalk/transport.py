"""HTTP callback mode: POST /dingtalk/callback, verified (timestamp + sign headers) before anything
else, recorded through the sink, acknowledged, then handled in the sink's own task."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot import metrics
from bot.adapters.base import Sink
from bot.adapters.dingtalk.inbound import addressed_to, is_card_callback, parse_card_callback, parse_message
from bot.adapters.dingtalk.signing import verify_callback
from bot.core.messages import InboundEvent

log = logging.getLogger("bot.adapters.dingtalk")
PATH = "/dingtalk/callback"


class CallbackRoute:
    def __init__(self, sink: Sink, *, app_secret: str, robot_code: str, webhook_prefix: str,
                 clock: Callable[[], datetime]) -> None:
        self.sink, self.app_secret, self.robot_code = sink, app_secret, robot_code
        self.webhook_prefix, self.clock = webhook_prefix, clock

    async def handle(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        response = await self._answer(request)
        metrics.ACK_SECONDS.labels("dingtalk").observe(time.perf_counter() - started)
        return response

    async def _answer(self, request: web.Request) -> web.Response:
        now = self.clock()
        # https://open.dingtalk.com/document/orgapp/receive-message: headers `timestamp` (ms) and `sign`.
        refused = verify_callback(request.headers.get("timestamp"), request.headers.get("sign"), self.app_secret,
                                  int(now.timestamp() * 1000))
        if refused is not None:
            log.warning("dingtalk callback refused: %s", refused)
            return _count("unauthorized", web.Response(status=401, text="unauthorized"))
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _count("bad_request", web.Response(status=400, text="bad json"))
        if not isinstance(body, dict):
            return _count("bad_request", web.Response(status=400, text="bad json"))
        event: InboundEvent | None
        if is_card_callback(body):
            event = parse_card_callback(body, received_at=now)
        elif not addressed_to(body, self.robot_code):
            return _count("forbidden", web.Response(status=403, text="wrong robot"))
        else:
            event = parse_message(body, received_at=now, webhook_prefix=self.webhook_prefix)
        if event is None:
            return _count("ignored", web.json_response({}))
        try:
            new = await self.sink.submit(event)
        except Exception:  # not recorded: say so, rather than ack something we would lose
            log.exception("dingtalk event not recorded")
            return _count("error", web.Response(status=503, text="try again"))
        return _count("accepted" if new else "duplicate", web.json_response({}))


def _count(outcome: str, response: web.Response) -> web.Response:
    metrics.REQUESTS.labels("dingtalk", outcome).inc()
    return response
