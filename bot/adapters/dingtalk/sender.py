"""Delivers replies to DingTalk: the message's sessionWebhook while it is valid, else the robot
OpenAPIs; interactive cards for buttons; team groups by open conversation id or a custom robot webhook."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.adapters.base import Delivered, Rejected, RetryLater, SendResult
from bot.adapters.dingtalk import render
from bot.adapters.dingtalk.api import DingtalkApi
from bot.adapters.dingtalk.limiter import SendWindow
from bot.adapters.dingtalk.signing import webhook_url
from bot.core.replies import Card, Reply, ReplyMode, dump

# A sessionWebhook that expires within this margin is not used: the request could arrive after expiry.
WEBHOOK_MARGIN = timedelta(seconds=60)
CARD_ROUTE_KEY = "dealbot"  # the callbackRouteKey registered for HTTP-mode card callbacks (docs/platforms-setup.md)


class DingtalkSender:
    def __init__(self, api: DingtalkApi, robot_code: str, clock: Callable[[], datetime], *, http_mode: bool,
                 window: SendWindow | None = None) -> None:
        self.api, self.robot_code, self.clock = api, robot_code, clock
        self.route_key = CARD_ROUTE_KEY if http_mode else None
        self.window = window or SendWindow()

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        fingerprint = hashlib.sha256(json.dumps([dict(target), dump(reply)], sort_keys=True, default=str)
                                     .encode()).hexdigest()
        kind = target.get("kind")
        if kind == "conversation":
            return await self._answer(target, reply, fingerprint)
        if kind == "user":
            user = str(target.get("platform_user_id") or "")
            return await self._robot(render.render(reply), None, user, fingerprint) if user else Rejected("no user id")
        if kind == "team":
            return await self._team(dict(target.get("address") or {}), reply, fingerprint)
        return Rejected(f"unknown target kind {kind!r}")

    async def _answer(self, target: Mapping[str, Any], reply: Reply, fingerprint: str) -> SendResult:
        handle = dict(target.get("reply_handle") or {})
        user, channel = str(target.get("user") or ""), str(target.get("channel") or "")
        private = reply.mode in (ReplyMode.EPHEMERAL, ReplyMode.DIRECT_TO_USER)
        group = None if target.get("direct") or private else channel
        card_id = handle.get("card_biz_id") or target.get("source_message_id")
        if reply.mode is ReplyMode.UPDATE_SOURCE and card_id and isinstance(reply.body, Card) and reply.body.buttons:
            updated = await self._update_card(str(card_id), reply)
            if not isinstance(updated, Rejected):
                return updated  # a refused update (card gone, too old) posts a new card below instead
        messages = render.render(reply)
        webhook = handle.get("session_webhook")
        expires_ms = int(handle.get("session_webhook_expires_ms") or 0)
        now_ms = int(self.clock().timestamp() * 1000)
        if webhook and not private and expires_ms - now_ms > WEBHOOK_MARGIN.total_seconds() * 1000:
            plain = [m for m in messages if m.kind != "card"]
            if len(plain) == len(messages):  # sessionWebhook takes no interactive cards
                return await self._webhook(webhook, messages, f"group:{channel}" if group else None, fingerprint)
        return await self._robot(messages, group, user, fingerprint)

    async def _team(self, address: Mapping[str, Any], reply: Reply, fingerprint: str) -> SendResult:
        if address.get("open_conversation_id"):
            return await self._robot(render.render(reply), str(address["open_conversation_id"]), None, fingerprint)
        if address.get("webhook"):
            url, secret = str(address["webhook"]), str(address.get("secret") or "")
            return await self._webhook(url, render.render(reply), f"webhook:{url}", fingerprint, secret)
        return Rejected("team address needs open_conversation_id or webhook")

    async def _pace(self, key: str | None, fingerprint: str, count: int) -> RetryLater | None:
        """Keep a group under its per-minute limit: wait briefly, or hand the message back to the outbox."""
        if key is None:
            return None
        wait = self.window.admit(key, fingerprint, count)
        if wait > self.window.inline_wait:
            return RetryLater(f"queued behind the {key} rate limit", timedelta(seconds=wait), throttled=True)
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    async def _webhook(self, url: str, messages: list[render.Message], key: str | None, fingerprint: str,
                       secret: str | None = None) -> SendResult:
        if (paced := await self._pace(key, fingerprint, len(messages))) is not None:
            return paced
        result: SendResult = Delivered()
        for message in messages:
            signed = webhook_url(url, secret, int(self.clock().timestamp() * 1000))
            result = await self.api.post_webhook(signed, render.session_body(message))
            if not isinstance(result, Delivered):
                return result
        return result

    async def _robot(self, messages: list[render.Message], group: str | None, user: str | None,
                     fingerprint: str) -> SendResult:
        if (paced := await self._pace(f"group:{group}" if group else None, fingerprint, len(messages))) is not None:
            return paced
        result: SendResult = Delivered()
        for index, message in enumerate(messages):
            if message.kind == "card":
                result = await self._card(message, group, user, f"dealbot-{fingerprint[:40]}-{index}")
            elif group is not None:
                key, param = render.robot_param(message)
                result = await self.api.call("POST", "/v1.0/robot/groupMessages/send", {
                    "robotCode": self.robot_code, "openConversationId": group, "msgKey": key, "msgParam": param})
            else:
                key, param = render.robot_param(message)
                result = await self.api.call("POST", "/v1.0/robot/oToMessages/batchSend", {
                    "robotCode": self.robot_code, "userIds": [user], "msgKey": key, "msgParam": param})
            if not isinstance(result, Delivered):
                return result
        return result

    async def _card(self, message: render.Message, group: str | None, user: str | None, biz_id: str) -> SendResult:
        """An interactive card; the biz id derives from the reply, so a retry after a lost answer does not
        post the card twice (cardBizId is the idempotency key). A refused card still arrives as markdown."""
        body = render.card_send_body(message, robot_code=self.robot_code, card_biz_id=biz_id, group=group,
                                     user=user, callback_route_key=self.route_key)
        result = await self.api.call("POST", "/v1.0/im/v1.0/robot/interactiveCards/send", body)
        if isinstance(result, Delivered):
            return Delivered(biz_id)
        if isinstance(result, Rejected):
            plain = render.Message("markdown", message.title, message.text)
            return await self._robot([plain], group, user, biz_id)
        return result

    async def _update_card(self, biz_id: str, reply: Reply) -> SendResult:
        """PUT /v1.0/im/robots/interactiveCards: the clicked card shows the new state in place."""
        message = render.render(reply)[-1]
        body = {"cardBizId": biz_id, "cardData": json.dumps(message.card, ensure_ascii=False)}
        result = await self.api.call("PUT", "/v1.0/im/robots/interactiveCards", body)
        return Delivered(biz_id) if isinstance(result, Delivered) else result
