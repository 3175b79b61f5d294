"""Pure parsing of DingTalk robot messages and interactive-card callbacks into neutral events."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.messages import ConversationRef, InboundAction, InboundMessage, Platform, PlatformUser

GROUP, DIRECT = "2", "1"  # conversationType: https://open.dingtalk.com/document/orgapp/receive-message
ACTION_ID_PREFIX = "dealbot_"


def encode_action_id(packed: str) -> str:
    """A card button id that carries our packed ActionRef: the callback returns the id in `actionIds`,
    and ids are kept to [A-Za-z0-9_-] because DingTalk documents no escaping for them."""
    return ACTION_ID_PREFIX + base64.urlsafe_b64encode(packed.encode()).decode().rstrip("=")


def decode_action_id(action_id: str) -> str | None:
    if not action_id.startswith(ACTION_ID_PREFIX):
        return None
    raw = action_id[len(ACTION_ID_PREFIX):]
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def addressed_to(body: Mapping[str, Any], robot_code: str) -> bool:
    """False when a robot message names another app's robot (the body is not signed, so this is a
    consistency check after the header sign, never a substitute for it)."""
    code = body.get("robotCode")
    return code is None or code == robot_code


def _text(body: Mapping[str, Any]) -> str | None:
    kind = body.get("msgtype")
    if kind == "text":
        content = (body.get("text") or {}).get("content")
        return content if isinstance(content, str) else None
    if kind == "richText":  # text runs mixed with pictures: keep the text
        runs = (body.get("content") or {}).get("richText") or []
        return "".join(r.get("text", "") for r in runs if isinstance(r, dict))
    return None


def parse_message(body: Mapping[str, Any], *, received_at: datetime, webhook_prefix: str) -> InboundMessage | None:
    """A robot message (HTTP callback body, or a Stream frame's `data`) → InboundMessage.

    DingTalk already removes the robot's `@name` from `text.content` and leaves its space behind, so
    stripping whitespace is the whole mention strip. A sessionWebhook is kept only when it points at
    `webhook_prefix` (the oapi host): the body is unsigned, and a forged URL must not become a place we post to.
    """
    text, msg_id, conv_type = _text(body), body.get("msgId"), str(body.get("conversationType", ""))
    sender_id = body.get("senderStaffId") or body.get("senderId")
    if text is None or not msg_id or conv_type not in (GROUP, DIRECT) or not sender_id:
        return None
    conversation = ConversationRef(Platform.DINGTALK, str(body.get("chatbotCorpId") or body.get("senderCorpId") or ""),
                                   str(body.get("conversationId", "")), None, conv_type == DIRECT)
    sender = PlatformUser(Platform.DINGTALK, str(sender_id), body.get("senderNick"))
    handle: dict[str, str] = {"conversation_type": conv_type}
    webhook, expires = body.get("sessionWebhook"), body.get("sessionWebhookExpiredTime")
    if isinstance(webhook, str) and webhook.startswith(webhook_prefix) and str(expires).isdigit():
        handle.update(session_webhook=webhook, session_webhook_expires_ms=str(expires))
    mentioned = conv_type == GROUP or bool(body.get("isInAtList"))
    return InboundMessage(f"msg:{msg_id}", conversation, sender, text.strip(), received_at, mentioned, handle)


def parse_card_callback(data: Mapping[str, Any], *, received_at: datetime) -> InboundAction | None:
    """An interactive-card button click (Stream topic /v1.0/card/instances/callback, or the HTTP card
    callback) → InboundAction. Shape: platforms.md §2.2, from the SDK's card_callback.py."""
    user_id, track_id = data.get("userId"), data.get("outTrackId")
    try:
        content = json.loads(data.get("content") or "{}")
    except (TypeError, ValueError):
        return None
    private = content.get("cardPrivateData") if isinstance(content, dict) else None
    if not user_id or not track_id or not isinstance(private, dict):
        return None
    params = private.get("params")
    candidates = [params.get("action") if isinstance(params, dict) else None]
    candidates += [decode_action_id(str(a)) for a in private.get("actionIds") or []]
    action = next((c for c in candidates if isinstance(c, str) and c.startswith("v1|")), None)
    if action is None:
        return None
    group = data.get("spaceType") == "IM_GROUP" and bool(data.get("spaceId"))
    channel = str(data["spaceId"]) if group else str(user_id)
    conversation = ConversationRef(Platform.DINGTALK, str(data.get("corpId") or ""), channel, None, not group)
    # No click id exists; the card, the user and what was clicked identify a click (a redelivery repeats them).
    digest = hashlib.sha256(f"{track_id}\n{user_id}\n{data.get('content')}".encode()).hexdigest()[:32]
    handle = {"conversation_type": DIRECT if not group else GROUP, "card_biz_id": str(track_id)}
    return InboundAction(f"card:{digest}", conversation, PlatformUser(Platform.DINGTALK, str(user_id)), action,
                         received_at, str(track_id), handle)


def is_card_callback(body: Mapping[str, Any]) -> bool:
    return "outTrackId" in body and "content" in body and "msgId" not in body
