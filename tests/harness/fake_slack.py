"""A fake Slack on 127.0.0.1: the Web API methods dealbot calls (`/api/<method>`, JSON or form bodies,
Bearer token, `{ok, error}` answers), response_url endpoints, and scripted failures (500, timeout, 429)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientResponse, WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.adapters.slack import SlackAdapter
from bot.app import App
from bot.core.clock import FrozenClock
from bot.server import build_server
from config import DatabaseSettings, Settings
from config.platforms import SlackSettings
from config.settings import BotSettings, SecuritySettings
from storage.models import OutboxMessage
from tests.harness.world import DEFAULT_NOW as NOW
from tests.harness.world import World

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class Call:
    method: str
    body: dict[str, Any]


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    # method -> queued behaviours: "500", "timeout", "429", or an `error` code answered as {ok: false}
    script: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    delay: float = 5.0  # how long a "timeout" hangs
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acks received
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _server: TestServer | None = None
    _ts: int = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response)
        app.router.add_get("/link", self._link)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def base(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/"))

    @property
    def api_url(self) -> str:
        return self.base + "api/"

    def fail(self, method: str, *behaviours: str) -> None:
        self.script[method].extend(behaviours)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]

    async def _read(self, request: web.Request) -> dict[str, Any]:
        # slack_sdk sends some methods' arguments as JSON, others as form fields or in the query string.
        raw = await request.text()
        if request.content_type == "application/json":
            return {**request.query, **json.loads(raw or "{}")}
        return {**request.query, **dict(parse_qsl(raw))}

    async def _misbehave(self, behaviour: str) -> web.Response:
        if behaviour == "500":
            return web.Response(status=500, text="internal error")
        if behaviour == "timeout":
            await asyncio.sleep(self.delay)
            return web.json_response({"ok": False, "error": "request_timeout"})
        if behaviour == "429":
            # https://docs.slack.dev/apis/web-api/rate-limits — HTTP 429 with Retry-After seconds
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "2"})
        return web.json_response({"ok": False, "error": behaviour})

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._read(request)
        token = APP_TOKEN if method == "apps.connections.open" else TOKEN
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        queue = self.script.get(method)
        behaviour = queue.popleft() if queue else None
        self.calls.append(Call(method, {**body, "_status": behaviour or 200}))
        if behaviour is not None:
            return await self._misbehave(behaviour)
        return web.json_response(self._answer(method, body))

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        self._ts += 1
        ts = f"1700000000.{self._ts:06d}"
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": {"text": body.get("text")}}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts"), "text": body.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "")).lstrip("UW")}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http", "ws", 1) + "link?ticket=t1"}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V" + str(self._ts)}}
        return {"ok": False, "error": "unknown_method"}

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: hello, then whatever `push` sends; every text frame back is an ack."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        self.sockets.append(ws)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws

    async def push(self, envelope: dict[str, Any], within: float = 5.0) -> dict[str, Any]:
        """Send a Socket Mode envelope once the app is connected; returns its ack."""
        for _ in range(int(within / 0.02)):
            if self.sockets:
                break
            await asyncio.sleep(0.02)
        await self.sockets[-1].send_json(envelope)
        for _ in range(int(within / 0.02)):
            for ack in self.acks:
                if ack.get("envelope_id") == envelope["envelope_id"]:
                    return ack
            await asyncio.sleep(0.02)
        raise AssertionError(f"no ack for {envelope['envelope_id']}")

    async def _response(self, request: web.Request) -> web.Response:
        body = await self._read(request)
        self.calls.append(Call("response_url", {**body, "_key": request.match_info["key"], "_status": 200}))
        return web.Response(text="ok")


def sign(body: str, ts: int, secret: str = SECRET) -> dict[str, str]:
    """The X-Slack-* headers Slack would send: v0 HMAC-SHA256 over `v0:{ts}:{body}`."""
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def command_body(text: str, user: str = "U1", channel: str = "C1", trigger: str = "trig-cmd-1",
                 response_url: str = "https://hooks.slack.com/commands/T1/1/x") -> str:
    """A `/deal` slash command, form-encoded as Slack posts it."""
    return urlencode({"token": "legacy", "team_id": "T1", "team_domain": "acme", "channel_id": channel,
                      "channel_name": "sales", "user_id": user, "user_name": "li", "command": "/deal", "text": text,
                      "api_app_id": "A1", "is_enterprise_install": "false",
                      "response_url": response_url, "trigger_id": trigger})


def event_body(event_id: str, event: dict[str, Any]) -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "event": event,
                       "type": "event_callback", "event_id": event_id, "event_time": 1700000000,
                       "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}]})


def action_body(value: str, user: str = "U1", channel: str = "C1", ts: str = "1700000000.000001",
                trigger: str = "trig-1", response_url: str | None = None) -> str:
    """A block_actions click on a message button, form-encoded (`payload=<json>`)."""
    payload = {"type": "block_actions", "user": {"id": user, "username": "li", "team_id": "T1"},
               "api_app_id": "A1", "token": "legacy", "trigger_id": trigger, "team": {"id": "T1", "domain": "acme"},
               "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
               "channel": {"id": channel, "name": "sales"}, "message": {"ts": ts, "text": "card"},
               "response_url": response_url or "https://hooks.slack.com/actions/T1/1/x",
               "actions": [{"action_id": "dealbot-0", "block_id": "b", "type": "button", "value": value,
                            "action_ts": "1700000001.000001"}]}
    return urlencode({"payload": json.dumps(payload)})


class SlackRig:
    """dealbot serving Slack (real aiohttp app, real bolt, real storage) against a FakeSlack, frozen clock."""

    def __init__(self, database_url: str, *, now: datetime = NOW, timeout: float = 0.5,
                 socket_mode: bool = False) -> None:
        self.database_url = database_url
        self.clock = FrozenClock(now)
        self.fake = FakeSlack()
        self.timeout = timeout
        self.socket_mode = socket_mode
        self.client: TestClient[web.Request, web.Application] | None = None

    async def __aenter__(self) -> SlackRig:
        await self.fake.start()
        self.settings = self.make_settings()
        self.adapter = SlackAdapter(self.settings.slack, self.clock, timeout=self.timeout)
        self.server = build_server(self.settings, self.clock, adapters=[self.adapter])
        self.client = TestClient(TestServer(self.server.web, host="127.0.0.1"))
        await self.client.start_server()
        return self

    def make_settings(self) -> Settings:
        slack = SlackSettings(enabled=True, signing_secret=SecretStr(SECRET), bot_token=SecretStr(TOKEN),
                              app_token=SecretStr(APP_TOKEN), socket_mode=self.socket_mode, api_url=self.fake.api_url)
        return Settings(database=DatabaseSettings(url=self.database_url),
                        security=SecuritySettings(secret_key="test-secret"),
                        bot=BotSettings(default_tz="Asia/Shanghai"), slack=slack)

    async def __aexit__(self, *exc: object) -> None:
        assert self.client is not None
        await self.client.close()
        await self.fake.close()

    async def link(self, login: str, slack_id: str, role: str = "rep") -> None:
        world = World(self.database_url)
        try:
            await world.add_user(login, role)
            uow, services = await world.services()
            await services.users.link(login, "slack", slack_id)
            await uow.commit()
            await uow.__aexit__(None, None, None)
        finally:
            await world.close()

    async def post(self, body: str, *, form: bool = True, ts: int | None = None, secret: str = SECRET,
                   headers: dict[str, str] | None = None) -> ClientResponse:
        assert self.client is not None
        stamp = int(self.clock().timestamp()) if ts is None else ts
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        return await self.client.post("/slack/events", data=body.encode(),
                                      headers={"Content-Type": content_type, **sign(body, stamp, secret),
                                               **(headers or {})})

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[dict[str, Any]]:
        """The first `count` successful calls of `method` on the fake, once they arrived."""
        for _ in range(int(within / 0.02)):
            done = [c for c in self.fake.of(method) if c["_status"] == 200]
            if len(done) >= count:
                return done
            await asyncio.sleep(0.02)
        raise AssertionError(f"{method}: {self.fake.of(method)}")

    @property
    def app(self) -> App:
        """The process that handles events (one-process serving: the server's own)."""
        return self.server.app

    async def count(self, model: Any) -> int:
        async with self.app.uow_factory() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)

    async def outbox(self) -> list[tuple[str, int, str | None]]:
        """(status, attempts, last_error) of every outbox row, oldest first."""
        async with self.app.uow_factory() as uow:
            rows = await uow.session.execute(select(OutboxMessage.status, OutboxMessage.attempts,
                                                    OutboxMessage.last_error).order_by(OutboxMessage.id))
            return [(r[0], r[1], r[2]) for r in rows]

    async def settled(self, within: float = 5.0) -> list[str]:
        """Outbox statuses once no row is pending any more (each delivered or dead)."""
        for _ in range(int(within / 0.02)):
            statuses = [row[0] for row in await self.outbox()]
            if statuses and "pending" not in statuses:
                return statuses
            await asyncio.sleep(0.02)
        raise AssertionError(await self.outbox())
