"""Neutral inbound events: what every platform adapter turns its payloads into."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    WECOM = "wecom"
    DINGTALK = "dingtalk"


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """Where a message came from and where its answer goes."""

    platform: Platform
    tenant: str
    channel: str
    thread: str | None = None
    is_direct: bool = True


@dataclass(frozen=True, slots=True)
class PlatformUser:
    """A sender as the platform names them; the dispatcher resolves it to a dealbot user."""

    platform: Platform
    user_id: str
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A text typed by a person, with the bot mention already stripped."""

    event_key: str
    conversation: ConversationRef
    sender: PlatformUser
    text: str
    received_at: datetime
    mentioned_bot: bool = False
    # How to answer this very message where the platform says so (Slack response_url, DingTalk
    # sessionWebhook and its expiry); plain strings, copied into the reply's outbox target.
    reply_handle: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class InboundAction:
    """A button press: `action` is the packed ActionRef the button carried."""

    event_key: str
    conversation: ConversationRef
    sender: PlatformUser
    action: str
    received_at: datetime
    source_message_id: str | None = None
    reply_handle: Mapping[str, str] | None = None


InboundEvent = InboundMessage | InboundAction


def event_to_dict(event: InboundEvent) -> dict[str, Any]:
    """JSON-able form of an event, kept in the inbox until the event is handled."""
    data: dict[str, Any] = {
        "type": "action" if isinstance(event, InboundAction) else "message",
        "event_key": event.event_key,
        "conversation": {"platform": event.conversation.platform.value, "tenant": event.conversation.tenant,
                         "channel": event.conversation.channel, "thread": event.conversation.thread,
                         "is_direct": event.conversation.is_direct},
        "sender": {"platform": event.sender.platform.value, "user_id": event.sender.user_id,
                   "display_name": event.sender.display_name},
        "received_at": event.received_at.isoformat(),
        "reply_handle": dict(event.reply_handle) if event.reply_handle else None,
    }
    if isinstance(event, InboundAction):
        data.update(action=event.action, source_message_id=event.source_message_id)
    else:
        data.update(text=event.text, mentioned_bot=event.mentioned_bot)
    return data


def event_from_dict(data: dict[str, Any]) -> InboundEvent:
    conv, sender = data["conversation"], data["sender"]
    conversation = ConversationRef(Platform(conv["platform"]), conv["tenant"], conv["channel"], conv.get("thread"),
                                   bool(conv.get("is_direct", True)))
    user = PlatformUser(Platform(sender["platform"]), sender["user_id"], sender.get("display_name"))
    received_at = datetime.fromisoformat(data["received_at"])
    if data["type"] == "action":
        return InboundAction(data["event_key"], conversation, user, data["action"], received_at,
                             data.get("source_message_id"), data.get("reply_handle"))
    return InboundMessage(data["event_key"], conversation, user, data["text"], received_at,
                          bool(data.get("mentioned_bot")), data.get("reply_handle"))
