"""Delivers replies through slack_sdk's AsyncWebClient: chat.postMessage / chat.update / postEphemeral,
response_url when the bot cannot post, DMs via conversations.open; Slack errors become RetryLater/Rejected."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.base import Delivered, Rejected, RetryLater, SendResult
from bot.adapters.slack.pacing import ChannelPacer
from bot.adapters.slack.render import Message, render
from bot.core.replies import Reply, ReplyMode

log = logging.getLogger("bot.adapters.slack.sender")

# https://docs.slack.dev/reference/methods/chat.postMessage#errors — refusals a retry cannot fix.
PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
    "token_revoked", "token_expired", "no_permission", "missing_scope", "user_not_found", "user_disabled",
    "cannot_dm_bot", "restricted_action", "msg_too_long", "no_text", "invalid_blocks", "invalid_arguments",
    "too_many_attachments", "message_not_found", "cant_update_message", "edit_window_closed",
})
# Where a response_url can still reach the user although the bot itself may not post.
FALL_BACK = frozenset({"channel_not_found", "not_in_channel", "message_not_found", "cant_update_message",
                       "edit_window_closed", "user_not_in_channel"})
UNEDITABLE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


class SlackSender:
    def __init__(self, bot_token: str, api_url: str, *, timeout: float = 10.0,
                 pacer: ChannelPacer | None = None) -> None:
        self.bot_token = bot_token
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.timeout = timeout
        self.pacer = pacer or ChannelPacer()
        self._session: aiohttp.ClientSession | None = None
        self._client: AsyncWebClient | None = None
        self._dm_channels: dict[str, str] = {}
        self._closed = False

    @property
    def client(self) -> AsyncWebClient:
        # Built on first use: an aiohttp session must be created inside the running loop. No SDK retry
        # handlers: the outbox worker owns retries and their backoff.
        if self._client is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._client = AsyncWebClient(token=self.bot_token, base_url=self.api_url, session=self._session,
                                          timeout=int(max(1, self.timeout)), retry_handlers=[])
        return self._client

    async def close(self) -> None:
        self._closed = True  # later sends stay in the outbox for the next start instead of opening a session
        if self._session is not None:
            await self._session.close()
        self._session, self._client = None, None

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        if self._closed:
            return RetryLater("slack sender closed (shutting down)")
        return await self._send(target, reply, render(reply))

    async def open_view(self, trigger_id: str, view: Mapping[str, Any]) -> bool:
        """views.open for a button's modal; False when Slack refused (e.g. the 3 s trigger expired)."""
        result = await self._call(lambda: self.client.views_open(trigger_id=trigger_id, view=dict(view)))
        return isinstance(result, Delivered)

    async def _send(self, target: Mapping[str, Any], reply: Reply, messages: list[Message]) -> SendResult:
        kind = target.get("kind")
        if kind == "user":
            return await self._direct(str(target.get("platform_user_id", "")), messages)
        if kind == "team":
            channel = str((target.get("address") or {}).get("channel", ""))
            return await self._post(channel, None, messages) if channel else Rejected("team has no slack channel")
        channel, user = str(target.get("channel") or ""), str(target.get("user") or "")
        handle: Mapping[str, str] = target.get("reply_handle") or {}
        if reply.mode is ReplyMode.DIRECT_TO_USER or not channel:
            return await self._direct(user, messages)
        if reply.mode is ReplyMode.UPDATE_SOURCE and target.get("source_message_id"):
            return await self._update(str(target["source_message_id"]), handle, messages, target)
        if reply.mode is ReplyMode.EPHEMERAL and not target.get("direct"):
            result = await self._each(messages, lambda m: self._call(lambda: self.client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=target.get("thread"), **m), pace=channel))
            return await self._or_respond(result, handle, messages, {"response_type": "ephemeral"})
        result = await self._post(channel, target.get("thread"), messages)
        return await self._or_respond(result, handle, messages, {"response_type": "in_channel"})

    async def _post(self, channel: str, thread: str | None, messages: list[Message]) -> SendResult:
        return await self._each(messages, lambda m: self._call(
            lambda: self.client.chat_postMessage(channel=channel, thread_ts=thread, **m), pace=channel))

    async def _direct(self, user: str, messages: list[Message]) -> SendResult:
        if not user:
            return Rejected("no slack user to write to")
        if user not in self._dm_channels:
            opened = await self._call(lambda: self.client.conversations_open(users=user))
            if not isinstance(opened, Delivered) or not opened.platform_message_id:
                return opened if not isinstance(opened, Delivered) else RetryLater("conversations.open: no channel")
            self._dm_channels[user] = opened.platform_message_id
        return await self._post(self._dm_channels[user], None, messages)

    async def _update(self, source: str, handle: Mapping[str, str], messages: list[Message],
                      target: Mapping[str, Any]) -> SendResult:
        channel, _, ts = source.partition(":")
        if handle.get("ephemeral") and handle.get("response_url"):
            return await self._respond(handle["response_url"], messages, {"replace_original": True})
        first = messages[0]
        result = await self._call(lambda: self.client.chat_update(channel=channel, ts=ts, **first))
        result = await self._or_respond(result, handle, messages[:1], {"replace_original": True})
        if isinstance(result, Rejected) and result.error in UNEDITABLE:  # answer anew rather than not at all
            return await self._post(channel, target.get("thread"), messages)
        if not isinstance(result, Delivered) or len(messages) == 1:
            return result
        return await self._post(channel, target.get("thread"), messages[1:])  # the rest of a split card

    async def _or_respond(self, result: SendResult, handle: Mapping[str, str], messages: list[Message],
                          extra: dict[str, Any]) -> SendResult:
        """The bot may not post here (a slash command in a channel it is not in): use the response_url."""
        if isinstance(result, Rejected) and result.error in FALL_BACK and handle.get("response_url"):
            return await self._respond(handle["response_url"], messages, extra)
        return result

    async def _respond(self, url: str, messages: list[Message], extra: dict[str, Any]) -> SendResult:
        # https://docs.slack.dev/interactivity/handling-user-interaction#message_responses — up to five
        # posts within 30 minutes; an expired URL answers 404.
        webhook = AsyncWebhookClient(url, timeout=int(max(1, self.timeout)), session=self.client.session)
        for message in messages:
            try:
                response = await webhook.send_dict({**message, **extra})
            except (aiohttp.ClientError, TimeoutError, SlackClientError) as exc:
                return RetryLater(f"response_url: {exc!r}")
            if response.status_code == 429:
                return RetryLater("response_url: rate limited", _retry_after(response.headers), throttled=True)
            if response.status_code in (404, 410):
                return Rejected(f"response_url expired ({response.status_code})")
            if response.status_code != 200:
                return RetryLater(f"response_url answered {response.status_code}")
        return Delivered()

    async def _each(self, messages: list[Message], post: Callable[[Message], Awaitable[SendResult]]) -> SendResult:
        result: SendResult = Delivered()
        for message in messages:
            result = await post(message)
            if not isinstance(result, Delivered):
                return result
        return result

    async def _call(self, call: Callable[[], Awaitable[Any]], pace: str | None = None) -> SendResult:
        """One Web API call; Delivered carries `channel:ts` (or the opened channel id)."""
        if pace:
            await self.pacer.wait(pace)
        if self._closed:  # closed while this post waited for its slot
            return RetryLater("slack sender closed (shutting down)")
        try:
            response = await call()
        except SlackApiError as exc:
            return self._refusal(exc, pace)
        except (aiohttp.ClientError, TimeoutError, SlackClientError) as exc:
            return RetryLater(f"slack unreachable: {exc!r}")
        data = response.data if isinstance(response.data, dict) else {}
        if "ts" in data:
            return Delivered(f"{data.get('channel', '')}:{data['ts']}")
        return Delivered((data.get("channel") or {}).get("id") if isinstance(data.get("channel"), dict) else None)

    def _refusal(self, exc: SlackApiError, channel: str | None) -> SendResult:
        response = exc.response
        error = str(response.get("error", "")) if isinstance(response.data, dict) else ""
        if response.status_code == 429 or error == "ratelimited":
            # https://docs.slack.dev/apis/web-api/rate-limits — 429 with Retry-After in seconds.
            after = _retry_after(response.headers)
            if channel:
                self.pacer.hold(channel, after.total_seconds())
            return RetryLater(f"slack rate limited ({error or 429})", after, throttled=True)
        if error in PERMANENT:
            return Rejected(error)
        log.warning("slack api error %s (HTTP %s)", error, response.status_code)
        return RetryLater(error or f"HTTP {response.status_code}")


def _retry_after(headers: Mapping[str, Any]) -> timedelta:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return timedelta(seconds=max(1.0, float(raw)))
            except ValueError:
                break
    return timedelta(seconds=1)
