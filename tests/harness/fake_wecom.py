"""A fake WeCom server API on 127.0.0.1 (gettoken, message/send, update_template_card, appchat/send, robot
webhooks) that can fail, hang or answer 45009 on demand, and a rig running dealbot against it with encrypted
callbacks built by wechatpy's crypto."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.adapters.wecom import WecomAdapter
from bot.adapters.wecom.crypto import WecomCrypto
from bot.core.clock import FrozenClock
from bot.server import Server, build_server
from config import DatabaseSettings, Settings
from config.platforms import WecomSettings
from config.settings import BotSettings, SecuritySettings
from storage.dto import Actor
from storage.models import OutboxMessage
from storage.services import Services

CORP, AGENT, SECRET = "ww1436e0e65a779aee", "1000002", "app-secret"
TOKEN, AES_KEY = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
NOW = datetime.fromisoformat("2026-11-27T10:00:00+08:00")
SPENT_CODE = 40058  # the errcode for a spent response_code is not documented; the fake answers "invalid parameter"


@dataclass
class Call:
    path: str
    params: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeWecom:
    """Speaks the real request/response shapes of https://developer.work.weixin.qq.com/document/path/90236 et al."""

    calls: list[Call] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)  # path → ["500" | "hang" | "45009" | "42001" …]
    tokens: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    robots: set[str] = field(default_factory=lambda: {"robot-key"})
    gettoken_calls: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail(self, path: str, *faults: str) -> None:
        self.faults.setdefault(path, []).extend(faults)

    def issue_code(self) -> str:
        code = f"code-{next(self._ids)}"
        self.codes.add(code)
        return code

    def sent(self, path: str = "/cgi-bin/message/send") -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path == path]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        for path in ("/cgi-bin/message/send", "/cgi-bin/message/update_template_card", "/cgi-bin/appchat/send",
                     "/cgi-bin/webhook/send"):
            app.router.add_post(path, self._post)
        return app

    async def _gettoken(self, request: web.Request) -> web.Response:
        if request.query.get("corpid") != CORP or request.query.get("corpsecret") != SECRET:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        self.gettoken_calls += 1
        token = f"token-{next(self._ids)}"
        self.tokens.add(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    async def _post(self, request: web.Request) -> web.Response:
        path = request.path
        pending = self.faults.get(path)
        fault = pending.pop(0) if pending else None
        if fault == "500":
            return web.Response(status=502, text="bad gateway")
        if fault == "hang":  # the client gives up first; WeCom never processed it
            await asyncio.sleep(5)
            return web.Response(status=504)
        if fault and fault.lstrip("-").isdigit():
            return web.json_response({"errcode": int(fault), "errmsg": "fault injected"})
        if path == "/cgi-bin/webhook/send":
            if request.query.get("key") not in self.robots:
                return web.json_response({"errcode": 93000, "errmsg": "invalid webhook url"})
        elif request.query.get("access_token") not in self.tokens:
            return web.json_response({"errcode": 40014, "errmsg": "invalid access_token"})
        body = await request.json()
        self.calls.append(Call(path, dict(request.query), body))
        return web.json_response(self._answer(path, body))

    def _answer(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if path == "/cgi-bin/message/update_template_card":
            if body.get("response_code") not in self.codes:
                return {"errcode": SPENT_CODE, "errmsg": "invalid response_code"}
            self.codes.discard(body["response_code"])
            return {"errcode": 0, "errmsg": "ok", "invaliduser": []}
        if path == "/cgi-bin/message/send":
            if not isinstance(body.get("agentid"), int) or body.get("msgtype") not in body:
                return {"errcode": 40058, "errmsg": f"bad message/send body {body}"}
            if body["touser"] == "nobody":
                return {"errcode": 81013, "errmsg": "user & party & tag all invalid", "invaliduser": "nobody"}
            return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"msg-{next(self._ids)}",
                    "response_code": self.issue_code()}
        return {"errcode": 0, "errmsg": "ok"}


def callback_xml(user: str, *, text: str | None = None, event: str | None = None, msg_id: str = "1",
                 created: int = 0, **extra: str) -> str:
    """A decrypted callback as WeCom writes it (path/90239, path/90240)."""
    parts = [f"<ToUserName><![CDATA[{CORP}]]></ToUserName>", f"<FromUserName><![CDATA[{user}]]></FromUserName>",
             f"<CreateTime>{created}</CreateTime>"]
    if text is not None:
        parts += ["<MsgType><![CDATA[text]]></MsgType>", f"<Content><![CDATA[{text}]]></Content>",
                  f"<MsgId>{msg_id}</MsgId>"]
    else:
        parts += ["<MsgType><![CDATA[event]]></MsgType>", f"<Event><![CDATA[{event}]]></Event>"]
        parts += [f"<{k}><![CDATA[{v}]]></{k}>" for k, v in extra.items()]
    return "<xml>" + "".join(parts) + f"<AgentID>{AGENT}</AgentID></xml>"


def sealed(crypto: WecomCrypto, plaintext: str, timestamp: int, nonce: str = "1597212914") -> tuple[str, str]:
    """(query string, body) of an encrypted POST callback."""
    encrypted, signature = crypto.seal(plaintext, str(timestamp), nonce)
    body = (f"<xml><ToUserName><![CDATA[{crypto.corp_id}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<AgentID><![CDATA[{AGENT}]]></AgentID></xml>")
    return f"msg_signature={signature}&timestamp={timestamp}&nonce={nonce}", body


@dataclass
class Rig:
    """dealbot serving WeCom on 127.0.0.1 against the fake, with a frozen clock."""

    server: Server
    fake: FakeWecom
    clock: FrozenClock
    url: str
    http: aiohttp.ClientSession
    crypto: WecomCrypto = field(default_factory=lambda: WecomCrypto(TOKEN, AES_KEY, CORP))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def post(self, plaintext: str, *, timestamp: int | None = None, crypto: WecomCrypto | None = None,
                   tamper: bool = False) -> int:
        query, body = sealed(crypto or self.crypto, plaintext, timestamp or int(self.clock().timestamp()))
        if tamper:
            body = body.replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A")
        async with self.http.post(f"{self.url}?{query}", data=body.encode()) as resp:
            assert await resp.text() == "" or resp.status != 200
            return resp.status

    async def says(self, user: str, text: str) -> int:
        number = next(self._ids)
        return await self.post(callback_xml(user, text=text, msg_id=f"m{number}", created=number))

    async def clicks(self, user: str, key: str, code: str, task_id: str = "task") -> int:
        xml = callback_xml(user, event="template_card_event", created=int(self.clock().timestamp()),
                           EventKey=key, TaskId=task_id, CardType="button_interaction", ResponseCode=code)
        return await self.post(xml)

    async def reached(self, path: str = "/cgi-bin/message/send", count: int = 1, within: float = 5.0) -> bool:
        """Whether, once the handlers ran, `count` calls reached the fake at `path` within `within` seconds."""
        await self.server.sink.tasks.drain()
        for _ in range(int(within / 0.02)):
            if len(self.fake.sent(path)) >= count:
                return True
            self.server.kick.set()
            await asyncio.sleep(0.02)
        return False

    async def settle(self, path: str = "/cgi-bin/message/send", count: int = 1, within: float = 5.0) -> None:
        if not await self.reached(path, count, within):
            raise AssertionError(f"{len(self.fake.sent(path))} of {count} calls reached {path}")

    async def outbox_settled(self, within: float = 5.0) -> list[str]:
        """The outbox statuses once no row is pending any more (or as they are after `within` seconds)."""
        for _ in range(int(within / 0.02)):
            async with self.server.app.uow_factory() as uow:
                statuses = list(await uow.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))
            if "pending" not in statuses:
                break
            await asyncio.sleep(0.02)
        return statuses

    async def count(self, model: Any) -> int:
        async with self.server.app.uow_factory() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)

    async def add_user(self, login: str, wecom_id: str) -> None:
        app = self.server.app
        async with app.uow_factory() as uow:
            services = Services(uow, self.clock, Actor(None, "test"), app.settings.pipeline, app.cipher)
            await services.users.add(login, login.title(), "rep", "sales", None, "Asia/Shanghai")
            await services.users.link(login, "wecom", wecom_id)
            await uow.commit()

    def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        self.server.kick.set()


def wecom_settings(api_url: str) -> WecomSettings:
    return WecomSettings(enabled=True, corp_id=CORP, agent_id=AGENT, secret=SecretStr(SECRET),
                         token=SecretStr(TOKEN), encoding_aes_key=SecretStr(AES_KEY), api_url=api_url)


@asynccontextmanager
async def wecom_rig(database_url: str, *, send_timeout: float = 0.5, now: datetime = NOW) -> AsyncIterator[Rig]:
    fake = FakeWecom()
    fake_server = TestServer(fake.app(), host="127.0.0.1")
    await fake_server.start_server()
    clock = FrozenClock(now)
    settings = Settings(database=DatabaseSettings(url=database_url), security=SecuritySettings(secret_key="t"),
                        bot=BotSettings(default_tz="Asia/Shanghai"),
                        wecom=wecom_settings(str(fake_server.make_url("")).rstrip("/")))
    adapter = WecomAdapter(settings.wecom, clock, timeout=send_timeout)
    server = build_server(settings, clock, adapters=[adapter])
    app_server = TestServer(server.web, host="127.0.0.1")
    await app_server.start_server()
    http = aiohttp.ClientSession()
    try:
        yield Rig(server, fake, clock, str(app_server.make_url("/wecom/callback")), http)
    finally:
        await http.close()
        await app_server.close()
        await fake_server.close()


def echostr_query(crypto: WecomCrypto, plaintext: str, timestamp: int, nonce: str = "47744683") -> str:
    encrypted, signature = crypto.seal(plaintext, str(timestamp), nonce)
    return f"msg_signature={signature}&timestamp={timestamp}&nonce={nonce}&echostr={quote(encrypted, safe='')}"
