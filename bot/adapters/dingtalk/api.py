"""DingTalk HTTP client on aiohttp: the cached access token and the two error dialects (new
api.dingtalk.com HTTP codes, old oapi `errcode`) mapped to Delivered / RetryLater / Rejected."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from bot.adapters.base import Delivered, Rejected, RetryLater, SendResult

log = logging.getLogger("bot.adapters.dingtalk")
# Old-style errcodes (sessionWebhook, custom robots): https://open.dingtalk.com/document/robots/custom-robot-access
# 130101 "send too fast": the robot is throttled for 10 minutes; -1 "system busy".
THROTTLED_ERRCODES = {130101, 130102}
BUSY_ERRCODES = {-1}
THROTTLE_WAIT = timedelta(minutes=10)
TOKEN_MARGIN = timedelta(minutes=5)  # the SDK's stream.py keeps the same buffer before expireIn


class TokenError(Exception):
    """The access token could not be obtained (network, or credentials the platform refuses)."""


class DingtalkApi:
    def __init__(self, api_url: str, app_key: str, app_secret: str, clock: Callable[[], datetime],
                 *, timeout: float = 10.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.app_key, self.app_secret = app_key, app_secret
        self.clock = clock
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        self._token: tuple[str, datetime] | None = None
        self._token_lock = asyncio.Lock()

    def session(self) -> aiohttp.ClientSession:
        if self._closed:  # shutting down: a late send is retried by the outbox after restart
            raise aiohttp.ClientConnectionError("dingtalk client closed")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()

    async def token(self) -> str:
        """POST /v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn}; cached, one fetch at a time."""
        async with self._token_lock:
            if self._token is not None and self.clock() < self._token[1]:
                return self._token[0]
            try:
                async with self.session().post(f"{self.api_url}/v1.0/oauth2/accessToken",
                                               json={"appKey": self.app_key, "appSecret": self.app_secret}) as resp:
                    body = await resp.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                raise TokenError(repr(exc)) from exc
            if resp.status != 200 or not isinstance(body, dict) or "accessToken" not in body:
                raise TokenError(f"accessToken refused: HTTP {resp.status} {str(body)[:200]}")
            expires = self.clock() + timedelta(seconds=int(body.get("expireIn", 7200))) - TOKEN_MARGIN
            self._token = (str(body["accessToken"]), expires)
            return self._token[0]

    async def call(self, method: str, path: str, body: Mapping[str, Any]) -> SendResult:
        """A new-style OpenAPI call with `x-acs-dingtalk-access-token`; one token refresh on 401."""
        for attempt in range(2):
            try:
                headers = {"x-acs-dingtalk-access-token": await self.token()}
            except TokenError as exc:
                return RetryLater(f"dingtalk token: {exc}")
            result, status = await self._request(method, f"{self.api_url}{path}", body, headers)
            if status == 401 and attempt == 0:
                self._token = None  # expired or revoked early: fetch a fresh one and try once more
                continue
            return result
        return RetryLater("dingtalk token refused twice")

    async def post_webhook(self, url: str, body: Mapping[str, Any]) -> SendResult:
        """An old-style endpoint (sessionWebhook, custom robot): HTTP 200 with `errcode`."""
        result, _ = await self._request("POST", url, body, {})
        return result

    async def _request(self, method: str, url: str, body: Mapping[str, Any],
                       headers: Mapping[str, str]) -> tuple[SendResult, int]:
        try:
            async with self.session().request(method, url, json=body, headers=headers) as resp:
                text = await resp.text()
                retry_after = resp.headers.get("Retry-After")
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return RetryLater(f"dingtalk unreachable: {exc!r}"), 0
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        return _classify(status, data if isinstance(data, dict) else {}, retry_after), status


def _classify(status: int, data: Mapping[str, Any], retry_after: str | None) -> SendResult:
    code = str(data.get("code", ""))
    errcode = data.get("errcode")
    detail = f"HTTP {status} {code or errcode} {data.get('message') or data.get('errmsg') or ''}".strip()
    # New APIs answer 429 or a Throttling/QpsLimit code when over quota; honour Retry-After when present.
    if status == 429 or "Throttling" in code or "QpsLimit" in code:
        wait = int(retry_after) if retry_after and retry_after.isdigit() else 60
        return RetryLater(detail, timedelta(seconds=wait), throttled=True)
    if status >= 500 or status in (408, 401):
        return RetryLater(detail)
    if status >= 400:
        return Rejected(detail)
    if isinstance(errcode, int) and errcode != 0:
        if errcode in THROTTLED_ERRCODES:
            return RetryLater(detail, THROTTLE_WAIT, throttled=True)
        if errcode in BUSY_ERRCODES:
            return RetryLater(detail)
        return Rejected(detail)
    message_id = data.get("processQueryKey") or data.get("processQueryKeys")
    return Delivered(str(message_id) if message_id else None)
