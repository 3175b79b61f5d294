"""Neutral replies: text or a card with fields and buttons, and their JSON form for the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self
from urllib.parse import parse_qsl, quote_plus

from bot.core.errors import BadAction

ACTION_PREFIX = "v1"
# WeCom's template_card button key and Slack's action value both cap well above this;
# 200 bytes keeps a packed reference valid on every platform we render to.
MAX_ACTION_BYTES = 200


@dataclass(frozen=True, slots=True)
class ActionRef:
    """What a button does, packed into the button itself: `v1|deal.move|id=42&to=won`."""

    name: str
    args: Mapping[str, str] = field(default_factory=dict)

    def pack(self) -> str:
        # Hot path (a scheduler tick packs three buttons per push): plain values skip urlencode.
        query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in sorted(self.args.items()))
        packed = f"{ACTION_PREFIX}|{self.name}|{query}"
        if len(packed.encode()) > MAX_ACTION_BYTES:
            raise BadAction(f"packed action longer than {MAX_ACTION_BYTES} bytes")
        return packed

    @classmethod
    def unpack(cls, raw: str) -> Self:
        parts = raw.split("|", 2)
        if len(parts) != 3 or parts[0] != ACTION_PREFIX or not parts[1]:
            raise BadAction("not a dealbot action")
        return cls(parts[1], dict(parse_qsl(parts[2], keep_blank_values=True)))


_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _quote(value: str) -> str:
    """Form-encoding as `urlencode` does it, without its cost for values that need none."""
    return value if _PLAIN.issuperset(value) else quote_plus(value)


class Accent(StrEnum):
    NEUTRAL = "neutral"
    GOOD = "good"
    WARNING = "warning"
    DANGER = "danger"


class ReplyMode(StrEnum):
    IN_CONVERSATION = "in_conversation"
    EPHEMERAL = "ephemeral"
    UPDATE_SOURCE = "update_source"
    DIRECT_TO_USER = "direct_to_user"


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: ActionRef
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Card:
    """A titled block with fields and buttons; `fallback_text` is what text-only surfaces show."""

    title: str
    fallback_text: str
    summary: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    accent: Accent = Accent.NEUTRAL


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone other than the sender: a dealbot user (by login) or a team's group chat (by team name)."""

    kind: str  # "user" | "team"
    name: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer; `data` carries the ids and values it is about (for scripts and tests).

    With `to` unset it answers the conversation the command came from; otherwise it is a push.
    """

    body: Card | Text
    mode: ReplyMode = ReplyMode.IN_CONVERSATION
    data: Mapping[str, Any] = field(default_factory=dict)
    to: Recipient | None = None

    @property
    def text(self) -> str:
        return self.body.text if isinstance(self.body, Text) else self.body.fallback_text


def dump(reply: Reply) -> dict[str, Any]:
    """The reply as plain JSON-able data (the outbox payload and `--json` output)."""
    body: dict[str, Any]
    if isinstance(reply.body, Text):
        body = {"type": "text", "text": reply.body.text}
    else:
        card = reply.body
        body = {
            "type": "card",
            "title": card.title,
            "fallback_text": card.fallback_text,
            "summary": card.summary,
            "fields": [{"label": f.label, "value": f.value} for f in card.fields],
            "buttons": [
                {"label": b.label, "action": b.action.pack(), "primary": b.primary} for b in card.buttons
            ],
            "accent": card.accent.value,
        }
    to = {"kind": reply.to.kind, "name": reply.to.name} if reply.to else None
    return {"body": body, "mode": reply.mode.value, "data": dict(reply.data), "to": to}


def load(data: Mapping[str, Any]) -> Reply:
    """The inverse of dump."""
    raw = data["body"]
    body: Card | Text
    if raw["type"] == "text":
        body = Text(raw["text"])
    else:
        body = Card(
            title=raw["title"],
            fallback_text=raw["fallback_text"],
            summary=raw.get("summary"),
            fields=tuple(Field(f["label"], f["value"]) for f in raw.get("fields", ())),
            buttons=tuple(
                Button(b["label"], ActionRef.unpack(b["action"]), bool(b.get("primary")))
                for b in raw.get("buttons", ())
            ),
            accent=Accent(raw.get("accent", "neutral")),
        )
    to = data.get("to")
    return Reply(
        body,
        ReplyMode(data.get("mode", "in_conversation")),
        dict(data.get("data", {})),
        Recipient(to["kind"], to["name"]) if to else None,
    )
