"""A fake DingTalk on 127.0.0.1 speaking the real wire formats: access tokens, sessionWebhooks, robot
sends, interactive cards, custom robots, and the Stream gateway (connections/open + websocket)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from bot.adapters.dingtalk.signing import sign

TOKEN_PATH = "/v1.0/oauth2/accessToken"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    outcome: str = "ok"


class FakeDingtalk:
    """`fail(path, *outcomes)` makes the next calls to `path` answer "500", "429", "throttled" (errcode
    130101), "timeout" (no answer within the client's timeout) or "reject" (HTTP 400) before succeeding."""

    def __init__(self, app_key: str = "dingkey", app_secret: str = "app-secret", robot_secret: str = "SECrobot",
                 hang_seconds: float = 3.0) -> None:
        self.app_key, self.app_secret, self.robot_secret = app_key, app_secret, robot_secret
        self.hang_seconds = hang_seconds
        self.calls: list[Call] = []
        self.failures: dict[str, deque[str]] = {}
        self.frames_acked: list[dict[str, Any]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self.silenced: set[int] = set()
        self.tickets: set[str] = set()
        self.connected = asyncio.Condition()
        self._ids = itertools.count(1)
        self.app = web.Application()
        self.app.router.add_route("*", "/gateway", self._gateway)
        self.app.router.add_route("*", "/{tail:.*}", self._api)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> FakeDingtalk:
        self._runner = web.AppRunner(self.app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def fail(self, path: str, *outcomes: str) -> None:
        self.failures.setdefault(path, deque()).extend(outcomes)

    def sent(self, path: str) -> list[Call]:
        """Successful calls to `path` (failed attempts are left out)."""
        return [c for c in self.calls if c.path == path and c.outcome == "ok"]

    def session_webhook(self, name: str = "s1") -> str:
        return f"{self.url}/robot/sendBySession?session={name}"

    async def _api(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        call = Call(request.method, request.path, dict(request.query), dict(request.headers), body)
        self.calls.append(call)
        outcome = self.failures.get(request.path, deque()).popleft() if self.failures.get(request.path) else "ok"
        call.outcome = outcome
        if outcome == "timeout":
            await asyncio.sleep(self.hang_seconds)
        if outcome == "500":
            return web.json_response({"code": "ServiceUnavailable", "message": "busy"}, status=500)
        if outcome == "429":
            return web.json_response({"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "qps"},
                                     status=429, headers={"Retry-After": "7"})
        if outcome == "throttled":
            return web.json_response({"errcode": 130101, "errmsg": "send too fast"})
        if outcome == "reject":
            return web.json_response({"code": "invalidParameter", "message": "bad"}, status=400)
        return await self._ok(request, call)

    async def _ok(self, request: web.Request, call: Call) -> web.StreamResponse:
        path, body = request.path, call.body or {}
        if path == TOKEN_PATH:
            if (body.get("appKey"), body.get("appSecret")) != (self.app_key, self.app_secret):
                return web.json_response({"code": "invalidClientIdOrSecret"}, status=400)
            return web.json_response({"accessToken": f"tok-{next(self._ids)}", "expireIn": 7200})
        if path == "/v1.0/gateway/connections/open":
            ticket = f"ticket+{next(self._ids)}/="  # '+', '/' and '=' prove the SDK quotes it
            self.tickets.add(ticket)
            return web.json_response({"endpoint": self.url.replace("http", "ws") + "/gateway", "ticket": ticket})
        if path.startswith("/robot/sendBySession"):
            return web.json_response({"errcode": 0, "errmsg": "ok"})
        if path == "/robot/send":
            expected = sign(self.robot_secret, request.query.get("timestamp", ""))
            if request.query.get("sign") != expected:
                return web.json_response({"errcode": 310000, "errmsg": "sign not match"})
            return web.json_response({"errcode": 0, "errmsg": "ok"})
        if not request.headers.get("x-acs-dingtalk-access-token", "").startswith("tok-"):
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        if path == "/v1.0/im/robots/interactiveCards":
            return web.json_response({"success": True, "result": True})
        return web.json_response({"processQueryKey": f"pqk-{next(self._ids)}"})

    # Stream gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:  # a ticket works once (platforms.md §2.2)
            return web.Response(status=401)
        self.tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        self.sockets.append(ws)
        async with self.connected:
            self.connected.notify_all()
        index = len(self.sockets) - 1
        async for msg in ws:
            if index in self.silenced:
                continue  # gone silent: no pongs, acks are not read
            if msg.type == WSMsgType.PING:
                await ws.pong(msg.data)
            elif msg.type == WSMsgType.TEXT:
                self.frames_acked.append(json.loads(msg.data))
        return ws

    async def wait_connections(self, count: int, within: float = 5.0) -> None:
        async with self.connected:
            await asyncio.wait_for(self.connected.wait_for(lambda: len(self.sockets) >= count), within)

    async def push(self, topic: str, data: dict[str, Any], message_id: str, kind: str = "CALLBACK") -> None:
        """Send a frame on the newest connection, as the DingTalk gateway does."""
        frame = {"specVersion": "1.0", "type": kind, "data": json.dumps(data, ensure_ascii=False),
                 "headers": {"topic": topic, "messageId": message_id, "contentType": "application/json",
                             "time": "1700000000000", "appId": "app-1"}}
        await self.sockets[-1].send_str(json.dumps(frame, ensure_ascii=False))

    def go_silent(self) -> None:
        """The current connection stops answering: no pongs, no frames."""
        self.silenced.add(len(self.sockets) - 1)


def robot_message(fake: FakeDingtalk, *, text: str = " 新建 华为", msg_id: str = "msg-1", group: bool = True,
                  staff_id: str = "staff-li", expires_ms: int = 0, robot_code: str = "dingkey") -> dict[str, Any]:
    """A robot message body as DingTalk sends it (HTTP callback body = Stream frame data)."""
    body: dict[str, Any] = {
        "conversationId": "cid-group-1" if group else "cid-single-li", "conversationType": "2" if group else "1",
        "chatbotCorpId": "ding-corp", "chatbotUserId": "bot-user", "msgId": msg_id, "senderNick": "李雷",
        "isAdmin": False, "senderStaffId": staff_id, "sessionWebhookExpiredTime": expires_ms,
        "createAt": 1700000000000, "senderCorpId": "ding-corp", "senderId": "$:LWCP_v1:$enc",
        "sessionWebhook": fake.session_webhook(msg_id), "robotCode": robot_code, "msgtype": "text",
        "text": {"content": text}, "isInAtList": group,
    }
    if group:
        body.update(conversationTitle="销售群", atUsers=[{"dingtalkId": "bot-user"}])
    return body


class DingtalkRig:
    """dealbot serving DingTalk (HTTP or Stream mode) on a test database with a frozen clock, talking to
    a FakeDingtalk; users li (staff-li) and wang (staff-wang, manager) are linked."""

    def __init__(self, database_url: str, fake: FakeDingtalk, *, mode: str = "http",
                 stream_options: Any = None, http_timeout: float = 0.5) -> None:
        from bot.adapters.dingtalk import DingtalkAdapter
        from bot.core.clock import FrozenClock
        from bot.server import build_server
        from config import DatabaseSettings, Settings
        from config.platforms import DingtalkSettings
        from config.settings import BotSettings, SecuritySettings
        from tests.harness.world import DEFAULT_NOW

        self.fake = fake
        self.settings = DingtalkSettings.model_validate(
            {"enabled": True, "app_key": fake.app_key, "app_secret": fake.app_secret, "robot_code": fake.app_key,
             "mode": mode, "api_url": fake.url, "oapi_url": fake.url})
        settings = Settings(database=DatabaseSettings(url=database_url), dingtalk=self.settings,
                            security=SecuritySettings(secret_key="test-secret"),
                            bot=BotSettings(default_tz="Asia/Shanghai"))
        self.clock = FrozenClock(DEFAULT_NOW)
        self.adapter = DingtalkAdapter(self.settings, self.clock, http_timeout=http_timeout,
                                       stream_options=stream_options)
        self.server = build_server(settings, self.clock, adapters=[self.adapter])
        self.client: Any = None

    async def start(self) -> DingtalkRig:
        from aiohttp.test_utils import TestClient, TestServer

        from storage.dto import Actor
        from storage.services import Services

        app = self.server.app
        async with app.uow_factory() as uow:
            services = Services(uow, self.clock, Actor(None, "test"), app.settings.pipeline, app.cipher)
            for login, role in (("li", "rep"), ("wang", "manager")):
                await services.users.add(login, login.title(), role, "sales", None, "Asia/Shanghai")
                await services.users.link(login, "dingtalk", f"staff-{login}")
            await uow.commit()
        self.client = TestClient(TestServer(self.server.web, host="127.0.0.1"))
        await self.client.start_server()
        return self

    async def close(self) -> None:
        await self.client.close()

    def now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    async def post(self, body: dict[str, Any], *, timestamp: int | None = None, secret: str | None = None) -> Any:
        """POST /dingtalk/callback signed as DingTalk signs it (sign over timestamp + app secret)."""
        ts = str(self.now_ms() if timestamp is None else timestamp)
        headers = {"timestamp": ts, "sign": sign(secret or self.fake.app_secret, ts)}
        return await self.client.post("/dingtalk/callback", json=body, headers=headers)

    async def settle(self, until: Any = None, within: float = 5.0) -> None:
        """Wait until events are handled and the server's own outbox worker has nothing due or in flight
        (and `until()` holds). The test never drains the outbox itself: two drainers and a clock moved by
        the test could both claim one row once its lease looks expired."""
        from sqlalchemy import and_, func, or_, select

        from storage.models import OutboxMessage

        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            await self.server.sink.tasks.drain(within)
            async with self.server.app.uow_factory() as uow:
                busy = await uow.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status == "pending",
                    or_(OutboxMessage.lease_until.is_not(None), and_(OutboxMessage.not_before <= self.clock()))))
            if not busy and len(self.server.sink.tasks) == 0 and (until is None or until()):
                return
            self.server.kick.set()
            await asyncio.sleep(0.02)
        raise AssertionError("condition not reached in time")

    async def count(self, model: Any) -> int:
        from sqlalchemy import func, select

        async with self.server.app.uow_factory() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)
