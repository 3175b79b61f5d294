"""Neutral inbound events: what every platform adapter turns its payloads into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class InboundAction:
    """A button press: `action` is the packed ActionRef the button carried."""

    event_key: str
    conversation: ConversationRef
    sender: PlatformUser
    action: str
    received_at: datetime
    source_message_id: str | None = None


InboundEvent = InboundMessage | InboundAction
