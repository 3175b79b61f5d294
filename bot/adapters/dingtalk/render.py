"""Pure rendering of neutral replies to DingTalk: text, markdown and StandardCard interactive cards,
with user text defused so it mentions nobody, and long bodies split (never cut)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.adapters.dingtalk.inbound import encode_action_id
from bot.core.replies import Card, Reply, Text

# Robot group sends take msgParam up to 15 000 bytes (…/the-robot-sends-a-group-message); markdown bodies
# are split well below that so title, JSON escaping and the part counter always fit.
MAX_BODY_BYTES = 6000
ZWSP = "\u200b"
_MENTION = re.compile(r"@(?=所有人|all\b|everyone\b|here\b|\d)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Message:
    """One DingTalk message: `card` is the StandardCard data when the reply has buttons."""

    kind: Literal["text", "markdown", "card"]
    title: str
    text: str
    card: Mapping[str, Any] | None = None


def defuse(text: str) -> str:
    """`@所有人`, `@all` and `@<mobile>` typed by users stay visible but mention nobody (a zero-width space
    after the @); DingTalk only notifies through the `at` field, which we never fill — this is the second lock."""
    return _MENTION.sub("@" + ZWSP, text)


def md(text: str) -> str:
    """User text inside markdown: defused, and unable to open links or images of its own."""
    return defuse(text).replace("](", "]" + ZWSP + "(").replace("![", "!" + ZWSP + "[")


def split(text: str, limit: int = MAX_BODY_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends when possible; nothing is dropped."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > limit:  # one huge line: cut at a character boundary
            head = line.encode()[:limit].decode(errors="ignore")
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
            line = line[len(head):]
        if len((current + line).encode()) > limit:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    return [p.rstrip("\n") for p in parts]


def card_markdown(card: Card) -> str:
    lines = [f"#### {md(card.title)}"]
    if card.summary:
        lines.append(md(card.summary).replace("\n", "\n\n"))
    lines += [f"**{md(f.label)}**: {md(f.value).replace(chr(10), ' ')}" for f in card.fields]
    return "\n\n".join(lines)  # DingTalk markdown needs a blank line for a line break


def standard_card(title: str, body: str, card: Card) -> dict[str, Any]:
    """The StandardCard data of a robot interactive card (https://open.dingtalk.com/document/orgapp/
    robots-send-interactive-cards); `request` buttons call back with their id in `actionIds`."""
    buttons = [{"type": "button", "label": {"type": "text", "text": defuse(b.label), "id": f"label_{i}"},
                "actionType": "request", "status": "primary" if b.primary else "normal",
                "id": encode_action_id(b.action.pack())} for i, b in enumerate(card.buttons)]
    return {"config": {"autoLayout": True, "enableForward": True},
            "header": {"title": {"type": "text", "text": defuse(title)}},
            "contents": [{"type": "markdown", "text": body, "id": "body"},
                         {"type": "action", "actions": buttons, "id": "actions"}]}


def render(reply: Reply) -> list[Message]:
    """Text → text messages; a card → markdown, or an interactive card when it has buttons (the
    buttons ride on the last part when a long card is split)."""
    if isinstance(reply.body, Text):
        return [Message("text", "", p) for p in split(defuse(reply.body.text))]
    card = reply.body
    title = defuse(card.title)[:64]
    parts = split(card_markdown(card))
    numbered = len(parts) > 1
    messages = [Message("markdown", f"{title} ({i + 1}/{len(parts)})" if numbered else title, p)
                for i, p in enumerate(parts)]
    if card.buttons:
        last = messages[-1]
        messages[-1] = Message("card", last.title, last.text, standard_card(last.title, last.text, card))
    return messages


def session_body(message: Message) -> dict[str, Any]:
    """Body for a sessionWebhook or a custom group robot; a card degrades to its markdown there
    (neither accepts interactive cards — the SDK's reply_card docstring says so for sessionWebhook)."""
    if message.kind == "text":
        return {"msgtype": "text", "text": {"content": message.text}}
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.text}}


def robot_param(message: Message) -> tuple[str, str]:
    """(msgKey, msgParam) for the robot OpenAPIs; msgParam is a JSON string inside the JSON body."""
    if message.kind == "text":
        return "sampleText", json.dumps({"content": message.text}, ensure_ascii=False)
    return "sampleMarkdown", json.dumps({"title": message.title, "text": message.text}, ensure_ascii=False)


def card_send_body(message: Message, *, robot_code: str, card_biz_id: str, group: str | None, user: str | None,
                   callback_route_key: str | None) -> dict[str, Any]:
    """POST /v1.0/im/v1.0/robot/interactiveCards/send, as the SDK's ChatbotHandler.reply_card builds it."""
    body: dict[str, Any] = {"cardTemplateId": "StandardCard", "robotCode": robot_code, "cardBizId": card_biz_id,
                            "cardData": json.dumps(message.card, ensure_ascii=False), "sendOptions": {}}
    if group is not None:
        body["openConversationId"] = group
    else:
        body["singleChatReceiver"] = json.dumps({"userId": user})
    if callback_route_key:
        body["callbackRouteKey"] = callback_route_key
    return body
