"""WeCom server API over aiohttp: the cached access token (refreshed on 40001/40014/42001 and retried once),
JSON posts with errcode checked on every answer, and group-robot webhooks."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import aiohttp

log = logging.getLogger("bot.adapters.wecom")

# https://developer.work.weixin.qq.com/document/path/90313 (全局错误码)
TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # invalid credential, invalid token, token expired
LIMIT_ERRORS = frozenset({45009, 45011, 45033})  # frequency limit, calls too frequent, too many concurrent
BUSY = -1  # 系统繁忙: try again
LIMIT_PAUSE = timedelta(seconds=60)  # WeCom gives no retry-after; its limits are per minute
TOKEN_MARGIN = 300.0  # refresh five minutes before expires_in runs out


class WecomTransient(Exception):
    """Worth retrying later (network, 5xx, busy, frequency limit)."""

    def __init__(self, reason: str, after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.after = after


class WecomRefused(Exception):
    """A permanent refusal: retrying the same request cannot succeed."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode = errcode


class WecomApi:
    def __init__(self, base_url: str, corp_id: str, secret: str, *, timeout: float = 10.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.base_url = base_url.rstrip("/")
        self.corp_id = corp_id
        self.secret = secret
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.monotonic = monotonic
        self._session: aiohttp.ClientSession | None = None
        self._token: tuple[str, float] | None = None  # (token, monotonic expiry)
        self._token_lock = asyncio.Lock()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _request(self, method: str, path: str, params: Mapping[str, str],
                       body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            async with self._http().request(method, self.base_url + path, params=params, json=body) as resp:
                if resp.status != 200:
                    raise WecomTransient(f"{path}: HTTP {resp.status}")
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise WecomTransient(f"{path}: {type(exc).__name__} {exc}") from None
        if not isinstance(data, dict):
            raise WecomTransient(f"{path}: answer is not a JSON object")
        return data

    async def token(self, *, refresh: bool = False) -> str:
        """The cached token; one gettoken at a time however many senders wait (path/91039)."""
        seen = self._token
        async with self._token_lock:
            current = self._token
            # Fetched by someone else while we waited, or still fresh and no refresh asked: use it.
            if current is not None and (current is not seen or (not refresh and current[1] > self.monotonic())):
                return current[0]
            data = await self._request("GET", "/cgi-bin/gettoken", {"corpid": self.corp_id, "corpsecret": self.secret})
            code = int(data.get("errcode", 0))
            if code != 0 or not data.get("access_token"):
                # A wrong secret or corp id: a config error that retries will report, then dead-letter.
                raise WecomTransient(f"gettoken errcode {code}: {data.get('errmsg', '')}", timedelta(minutes=1))
            lifetime = float(data.get("expires_in", 7200))
            self._token = (str(data["access_token"]), self.monotonic() + max(lifetime - TOKEN_MARGIN, 60.0))
            return self._token[0]

    async def call(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST `body` to `path?access_token=`; a token WeCom calls invalid or expired is refreshed once."""
        token = await self.token()
        data = await self._request("POST", path, {"access_token": token}, body)
        if int(data.get("errcode", 0)) in TOKEN_ERRORS:
            log.info("wecom token refused (errcode %s); refreshing", data.get("errcode"))
            token = await self.token(refresh=True)
            data = await self._request("POST", path, {"access_token": token}, body)
        return _checked(path, data)

    async def webhook(self, key: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A group robot message (path/91770); the key in the URL is the robot's only credential."""
        path = "/cgi-bin/webhook/send"
        return _checked(path, await self._request("POST", path, {"key": key}, body))


def _checked(path: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every WeCom API answers HTTP 200; errcode says what happened."""
    code = int(data.get("errcode", 0))
    message = str(data.get("errmsg", ""))
    if code == 0:
        return data
    if code in LIMIT_ERRORS:
        raise WecomTransient(f"{path}: frequency limit (errcode {code})", LIMIT_PAUSE)
    if code == BUSY or code in TOKEN_ERRORS:
        raise WecomTransient(f"{path}: errcode {code}: {message}")
    raise WecomRefused(code, message)
