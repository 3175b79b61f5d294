"""Delivers replies to WeCom with aiohttp: message/send to a member, appchat/send to an app group chat, group
robot webhooks, and update_template_card for a clicked card; limits kept by booking, failures mapped."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.adapters.base import Delivered, Rejected, RetryLater, SendResult
from bot.adapters.wecom.api import WecomApi, WecomRefused, WecomTransient
from bot.adapters.wecom.limiter import SlotLimiter
from bot.adapters.wecom.render import Surface, render, update_body
from bot.core.replies import Reply, ReplyMode, dump

log = logging.getLogger("bot.adapters.wecom")

# response_code from a card click works once and for 72 hours (path/94888); keep a margin for clock skew.
CODE_LIFETIME = timedelta(hours=72) - timedelta(minutes=10)
_REMEMBER = 10_000  # bounded memory of partly sent replies and spent response codes


class WecomSender:
    def __init__(self, api: WecomApi, agent_id: int, clock: Callable[[], datetime], *,
                 member_limit: SlotLimiter | None = None, robot_limit: SlotLimiter | None = None) -> None:
        self.api = api
        self.agent_id = agent_id
        self.clock = clock
        # Per app: 30 messages a minute to one member (path/90236, excess silently dropped); robots 20 a minute
        # (path/91770). App group chats have only corp-wide ceilings, left to errcode 45009.
        self.member_limit = member_limit or SlotLimiter(30)
        self.robot_limit = robot_limit or SlotLimiter(20)
        self._progress: dict[str, int] = {}  # reply fingerprint → messages of it already delivered
        self._spent: dict[str, None] = {}

    async def send(self, target: Mapping[str, Any], reply: Reply) -> SendResult:
        route = _route(target)
        if isinstance(route, Rejected):
            return route
        surface, address = route
        rendered = render(reply, surface, task_id=f"dealbot-{uuid.uuid4().hex}")
        fingerprint = _fingerprint(target, reply)
        update_at = rendered.card_index if reply.mode is ReplyMode.UPDATE_SOURCE else None
        message_id: str | None = None
        try:
            for index in range(self._progress.get(fingerprint, 0), len(rendered.messages)):
                wait = self._wait(surface, address, f"{fingerprint}:{index}")
                if wait > timedelta(0):
                    return RetryLater(f"{surface} {address}: over the send limit, queued", wait, throttled=True)
                message = rendered.messages[index]
                if index == update_at and await self._update(target, address, message):
                    message_id = None
                else:
                    message_id = await self._post(surface, address, message)
                _remember(self._progress, fingerprint, index + 1)
        except WecomTransient as exc:
            return RetryLater(str(exc), exc.after)
        except WecomRefused as exc:
            self._progress.pop(fingerprint, None)
            return Rejected(str(exc))
        self._progress.pop(fingerprint, None)
        return Delivered(message_id)

    def _wait(self, surface: Surface, address: str, ticket: str) -> timedelta:
        if surface is Surface.APP:
            return self.member_limit.reserve(address, ticket, self.clock())
        if surface is Surface.ROBOT:
            return self.robot_limit.reserve(address, ticket, self.clock())
        return timedelta(0)

    async def _post(self, surface: Surface, address: str, message: Mapping[str, Any]) -> str | None:
        if surface is Surface.ROBOT:
            await self.api.webhook(address, message)
            return None
        if surface is Surface.APPCHAT:
            await self.api.call("/cgi-bin/appchat/send", {"chatid": address, **message, "safe": 0})
            return None
        data = await self.api.call("/cgi-bin/message/send", {"touser": address, "agentid": self.agent_id, **message})
        if data.get("invaliduser"):  # errcode 0 with the one addressee refused: nothing was delivered
            raise WecomRefused(0, f"invaliduser {data['invaliduser']}")
        return str(data["msgid"]) if data.get("msgid") else None

    async def _update(self, target: Mapping[str, Any], user: str, message: Mapping[str, Any]) -> bool:
        """Replace the clicked card in place; False when its response_code is spent or too old (send anew)."""
        handle = target.get("reply_handle") or {}
        code = str(target.get("source_message_id") or handle.get("response_code") or "")
        issued = handle.get("issued_at")
        if not code or code in self._spent:
            return False
        if issued and self.clock() - datetime.fromisoformat(issued) > CODE_LIFETIME:
            return False
        body = update_body(message, agent_id=self.agent_id, user=user, response_code=code,
                           task_id=handle.get("task_id"))
        try:
            await self.api.call("/cgi-bin/message/update_template_card", body)
        except WecomRefused as exc:  # spent, expired or unknown code: the new card goes as a new message
            log.info("update_template_card refused (%s); sending a new card", exc)
            _remember(self._spent, code, None)
            return False
        _remember(self._spent, code, None)  # single use: a second reply to the same click goes as new
        return True


def _route(target: Mapping[str, Any]) -> tuple[Surface, str] | Rejected:
    """The app chat is one-to-one, so a conversation is answered to its sender with message/send."""
    kind = target.get("kind")
    if kind == "conversation" and target.get("user"):
        return Surface.APP, str(target["user"])
    if kind == "user" and target.get("platform_user_id"):
        return Surface.APP, str(target["platform_user_id"])
    address = target.get("address") or {}
    if kind == "team" and address.get("chatid"):
        return Surface.APPCHAT, str(address["chatid"])
    if kind == "team" and address.get("webhook_key"):
        return Surface.ROBOT, str(address["webhook_key"])
    return Rejected(f"no WeCom address in target {dict(target)}")


def _fingerprint(target: Mapping[str, Any], reply: Reply) -> str:
    """Names one outbox delivery across its retries (same target and payload)."""
    raw = json.dumps([dict(target), dump(reply)], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _remember(memory: dict[str, Any], key: str, value: Any) -> None:
    memory.pop(key, None)
    memory[key] = value
    while len(memory) > _REMEMBER:
        del memory[next(iter(memory))]
