"""Pure parse of a decrypted WeCom callback into a neutral event: text messages, `template_card_event`
button clicks and `enter_agent` (answered with the help card); anything else is ignored (None)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import xmltodict  # wechatpy's own XML parser

from bot.core.messages import ConversationRef, InboundAction, InboundEvent, InboundMessage, Platform, PlatformUser

HELP_TEXT = "帮助"  # what entering the app means: the help card (the router's `help` alias)
MAX_EVENT_KEY = 200  # the inbox column's width


def parse_xml(xml: str) -> dict[str, Any]:
    """The fields of a callback XML (wechatpy parses it the same way, with xmltodict); entities are refused."""
    root = xmltodict.parse(xml, disable_entities=True)
    fields = root.get("xml") if isinstance(root, dict) else None
    if not isinstance(fields, dict):
        raise ValueError("not a WeCom callback XML")
    return fields


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    return value.strip() if isinstance(value, str) else ""


def _key(raw: str) -> str:
    return raw if len(raw) <= MAX_EVENT_KEY else raw[:4] + hashlib.sha256(raw.encode()).hexdigest()


def _created(payload: Mapping[str, Any], fallback: datetime) -> datetime:
    created = _text(payload, "CreateTime")
    return datetime.fromtimestamp(int(created), UTC) if created.isdigit() else fallback


def parse(payload: Mapping[str, Any], *, corp_id: str, received_at: datetime,
          agent_id: str | None = None) -> InboundEvent | None:
    """One decrypted callback (path/90239, path/90240) → InboundMessage | InboundAction | None."""
    user = _text(payload, "FromUserName")
    if not user or _text(payload, "ToUserName") != corp_id:
        return None
    agent = _text(payload, "AgentID")
    if agent_id and agent and agent != agent_id:  # another app of the same corp: not ours to answer
        return None
    conversation = ConversationRef(Platform.WECOM, corp_id, user, None, True)
    sender = PlatformUser(Platform.WECOM, user)
    kind = _text(payload, "MsgType")
    if kind == "text":
        text, msg_id = _text(payload, "Content"), _text(payload, "MsgId")
        if not text or not msg_id:
            return None
        # MsgId may be an opaque string such as "CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==", not only an int64.
        return InboundMessage(_key(f"msg:{msg_id}"), conversation, sender, text, received_at)
    if kind != "event":
        return None
    event = _text(payload, "Event")
    # Events carry no MsgId: FromUserName + CreateTime is the documented dedupe key (path/90238).
    base = f"evt:{user}:{_text(payload, 'CreateTime')}:{event}"
    if event == "enter_agent":
        return InboundMessage(_key(base), conversation, sender, HELP_TEXT, received_at)
    if event == "template_card_event":
        return _card_click(payload, base, conversation, sender, received_at)
    return None


def _card_click(payload: Mapping[str, Any], base: str, conversation: ConversationRef, sender: PlatformUser,
                received_at: datetime) -> InboundAction | None:
    action, task_id, code = _text(payload, "EventKey"), _text(payload, "TaskId"), _text(payload, "ResponseCode")
    if not action:
        return None
    # Two clicks of one user within a second on different cards must stay two events.
    click = hashlib.sha256(f"{task_id}\n{action}".encode()).hexdigest()[:16]
    handle = {"task_id": task_id, "response_code": code,
              "issued_at": _created(payload, received_at).isoformat()} if code else None
    return InboundAction(_key(f"{base}:{click}"), conversation, sender, action, received_at,
                         code or None, handle)
