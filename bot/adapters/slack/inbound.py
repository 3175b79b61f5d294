"""Pure parse of Slack request bodies (as bolt parsed them) into neutral events; None for what the bot
ignores (bot messages, edits, channel chatter, other apps' views)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.adapters.slack.modals import submission
from bot.adapters.slack.mrkdwn import inbound_text, strip_mention
from bot.core.messages import ConversationRef, InboundAction, InboundEvent, InboundMessage, Platform, PlatformUser

Body = Mapping[str, Any]


def parse(body: Body, now: datetime) -> InboundEvent | None:
    """A slash command, an Events API callback, a block_actions or a view_submission payload."""
    if "command" in body:
        return _command(body, now)
    kind = body.get("type")
    if kind == "event_callback":
        return _event(body, now)
    if kind == "block_actions":
        return _action(body, now)
    if kind == "view_submission":
        return _view(body, now)
    return None


def _user(user_id: str, name: str | None = None) -> PlatformUser:
    return PlatformUser(Platform.SLACK, user_id, name or None)


def _is_dm(channel: str, name: str | None = None) -> bool:
    # Slash commands name a DM "directmessage"; DM channel ids start with D.
    return channel.startswith("D") or name == "directmessage"


def _command(body: Body, now: datetime) -> InboundMessage:
    # https://docs.slack.dev/interactivity/implementing-slash-commands — `/deal new …` arrives as text "new …".
    channel = str(body.get("channel_id", ""))
    conversation = ConversationRef(Platform.SLACK, str(body.get("team_id", "")), channel, None,
                                   _is_dm(channel, body.get("channel_name")))
    text = inbound_text(str(body.get("text", ""))) or "help"
    handle = {"response_url": str(body["response_url"]), "source": "command"} if body.get("response_url") else None
    return InboundMessage(f"command:{body.get('trigger_id', '')}", conversation,
                          _user(str(body.get("user_id", "")), body.get("user_name")), text, now, True, handle)


def _bot_user_id(body: Body) -> str | None:
    # event_callback bodies name the installation they were delivered to; its user is our bot.
    for auth in body.get("authorizations") or ():
        if auth.get("is_bot") and auth.get("user_id"):
            return str(auth["user_id"])
    return None


def _event(body: Body, now: datetime) -> InboundMessage | None:
    event = body.get("event") or {}
    kind = event.get("type")
    # Bots (ourselves included), edits, deletions and joins carry bot_id or a subtype:
    # https://docs.slack.dev/reference/events/message#subtypes
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return None
    if kind == "message" and event.get("channel_type") != "im":
        return None  # channel chatter; in channels the bot only answers app_mention
    if kind not in ("message", "app_mention"):
        return None
    raw = str(event.get("text", ""))
    mentioned = kind == "app_mention" or f"<@{_bot_user_id(body)}" in raw
    text = inbound_text(strip_mention(raw, _bot_user_id(body)) if mentioned else raw)
    channel = str(event.get("channel", ""))
    conversation = ConversationRef(Platform.SLACK, str(body.get("team_id", "")), channel,
                                   event.get("thread_ts"), kind == "message")
    return InboundMessage(f"event:{body.get('event_id', '')}", conversation, _user(str(event["user"])),
                          text or "help", now, mentioned)


def _action(body: Body, now: datetime) -> InboundAction | None:
    actions = body.get("actions") or []
    container = body.get("container") or {}
    if not actions or not actions[0].get("value") or container.get("type") == "view":
        return None
    user = body.get("user") or {}
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id", ""))
    message = body.get("message") or {}
    ts = str(container.get("message_ts") or message.get("ts") or "")
    team = str((body.get("team") or {}).get("id") or user.get("team_id", ""))
    conversation = ConversationRef(Platform.SLACK, team, channel, message.get("thread_ts"), _is_dm(channel))
    handle: dict[str, str] = {}
    if body.get("response_url"):
        handle["response_url"] = str(body["response_url"])
    if container.get("is_ephemeral"):
        handle["ephemeral"] = "1"  # chat.update cannot touch an ephemeral message; response_url can
    key = body.get("trigger_id") or actions[0].get("action_ts", "")
    return InboundAction(f"action:{key}", conversation, _user(str(user.get("id", "")), user.get("username")),
                         str(actions[0]["value"]), now, f"{channel}:{ts}" if ts else None, handle or None)


def _view(body: Body, now: datetime) -> InboundMessage | None:
    view = body.get("view") or {}
    found = submission(view)
    if found is None:
        return None
    text, meta = found
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id", ""))
    channel = str(meta.get("channel") or "")
    conversation = ConversationRef(Platform.SLACK, team, channel, meta.get("thread"), bool(meta.get("direct")))
    return InboundMessage(f"view:{view.get('id', '')}", conversation,
                          _user(str(user.get("id", "")), user.get("username")), text, now, False)
