"""WeCom HTTP callback routes: GET URL verification (bare echostr plaintext) and encrypted POST callbacks —
verified and decrypted before anything else, recorded by the sink, then acknowledged with an empty 200."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import unquote

from aiohttp import web

from bot import metrics
from bot.adapters.base import Sink
from bot.adapters.wecom.crypto import WecomCrypto, WecomCryptoError
from bot.adapters.wecom.inbound import parse, parse_xml

log = logging.getLogger("bot.adapters.wecom")
PATH = "/wecom/callback"
# WeCom signs with its own timestamp and re-sends a callback three times within seconds (path/90238); a
# request older than this is a replay. Documented by no WeCom page: our choice, generous for clock skew.
MAX_SKEW = timedelta(minutes=10)


def query(request: web.Request) -> dict[str, str]:
    """The query decoded with `unquote`, not form rules: a raw `+` in echostr (base64) stays a `+`
    (platforms.md §1.4: parse_qs would turn it into a space)."""
    values: dict[str, str] = {}
    for part in request.rel_url.raw_query_string.split("&"):
        name, _, value = part.partition("=")
        if name:
            values.setdefault(unquote(name), unquote(value))
    return values


class WecomTransport:
    def __init__(self, crypto: WecomCrypto, clock: Callable[[], datetime], *, agent_id: str | None = None,
                 max_skew: timedelta = MAX_SKEW) -> None:
        self.crypto = crypto
        self.clock = clock
        self.agent_id = agent_id
        self.max_skew = max_skew

    def install(self, app: web.Application, sink: Sink) -> None:
        async def callback(request: web.Request) -> web.StreamResponse:
            return await self.callback(request, sink)

        app.router.add_get(PATH, self.verify_url)
        app.router.add_post(PATH, callback)

    def _check(self, params: dict[str, str], encrypted: str) -> str:
        """The decrypted plaintext, or WecomCryptoError (401/403); the timestamp and signature come first."""
        signature, timestamp, nonce = (params.get(k, "") for k in ("msg_signature", "timestamp", "nonce"))
        if not (signature and timestamp and nonce and encrypted):
            raise WecomCryptoError("missing signature fields", 401)
        if not timestamp.isdigit() or abs(self.clock().timestamp() - int(timestamp)) > self.max_skew.total_seconds():
            raise WecomCryptoError("stale or bad timestamp", 401)
        return self.crypto.open(signature, timestamp, nonce, encrypted)

    async def verify_url(self, request: web.Request) -> web.Response:
        """URL verification (path/90238): answer within 1 s with the bare plaintext — no quotes, BOM or newline."""
        started = time.perf_counter()
        params = query(request)
        try:
            plaintext = self._check(params, params.get("echostr", ""))
        except WecomCryptoError as exc:
            return _refuse(exc, started)
        _count("verified", started)
        return web.Response(body=plaintext.encode(), content_type="text/plain")

    async def callback(self, request: web.Request, sink: Sink) -> web.Response:
        started = time.perf_counter()
        try:
            outer = parse_xml(await request.text())
            encrypted = outer.get("Encrypt")
            plaintext = self._check(query(request), encrypted if isinstance(encrypted, str) else "")
        except WecomCryptoError as exc:
            return _refuse(exc, started)
        except Exception:  # not XML at all: nothing to verify, so refused like a forgery
            return _refuse(WecomCryptoError("body is not a callback XML", 401), started)
        try:
            event = parse(parse_xml(plaintext), corp_id=self.crypto.corp_id, received_at=self.clock(),
                          agent_id=self.agent_id)
        except Exception:  # signed by WeCom but unreadable: a retry would not help, so acknowledge it
            log.warning("wecom callback verified but not understood; ignored")
            event = None
        if event is None:
            _count("ignored", started)
            return web.Response(text="")
        try:
            fresh = await sink.submit(event)
        except Exception:
            # Not recorded, so not acknowledged: WeCom re-sends it (three times) and nothing is lost.
            log.exception("wecom event could not be recorded", extra={"event_key": event.event_key})
            metrics.REQUESTS.labels("wecom", "error").inc()
            return web.Response(status=500, text="")
        _count("accepted" if fresh else "duplicate", started)
        return web.Response(text="")  # an empty 200: no passive reply, answers go through message/send


def _count(outcome: str, started: float) -> None:
    metrics.REQUESTS.labels("wecom", outcome).inc()
    metrics.ACK_SECONDS.labels("wecom").observe(time.perf_counter() - started)


def _refuse(exc: WecomCryptoError, started: float) -> web.Response:
    log.warning("wecom callback refused: %s", exc.reason)
    _count(f"refused_{exc.status}", started)
    return web.Response(status=exc.status, text="")
