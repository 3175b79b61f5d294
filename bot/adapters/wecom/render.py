"""Pure rendering of neutral replies into WeCom message bodies: `template_card` (button_interaction) for cards
with buttons on the app, markdown for other cards, text for texts; split at 2048 bytes, never dropped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.adapters.wecom.markup import TEXT_LIMIT, escape_markdown, escape_text, shorten, split_bytes
from bot.core.replies import Button, Card, Reply

# template_card limits (https://developer.work.weixin.qq.com/document/path/90236 "按钮交互型"): 1-6 buttons,
# button key ≤ 1024 bytes and unique in the card, at most 6 horizontal_content_list rows; the title (36
# characters), sub_title_text (112) and a row's value (26) are display limits WeCom cuts off.
MAX_BUTTONS = 6
MAX_KEY_BYTES = 1024
MAX_ROWS = 6
TITLE_CHARS = 36
SUBTITLE_CHARS = 112
VALUE_CHARS = 26


class Surface(StrEnum):
    """Where the message goes: the app (message/send: cards with buttons), an app group chat (appchat/send:
    text and markdown, no template_card) or a group robot webhook (text and markdown)."""

    APP = "app"
    APPCHAT = "appchat"
    ROBOT = "robot"


@dataclass(frozen=True, slots=True)
class Rendered:
    """Message bodies (`{"msgtype": …, <msgtype>: …}`) in sending order."""

    messages: tuple[dict[str, Any], ...]

    @property
    def card_index(self) -> int | None:
        """The template card an UPDATE_SOURCE reply may update in place (only when there is exactly one)."""
        cards = [i for i, m in enumerate(self.messages) if m["msgtype"] == "template_card"]
        return cards[0] if len(cards) == 1 else None


def render(reply: Reply, surface: Surface = Surface.APP, *, task_id: str = "dealbot") -> Rendered:
    """`task_id` must be unique per app (letters, digits, `_-@`, ≤ 128 bytes); the sender makes one per send."""
    body = reply.body
    if not isinstance(body, Card):
        return Rendered(tuple(_text(piece) for piece in split_bytes(escape_text(body.text))))
    clickable = [b for b in body.buttons if len(b.action.pack().encode()) <= MAX_KEY_BYTES]
    if surface is not Surface.APP or not clickable:
        return Rendered(tuple(markdown(body, list(body.buttons))))
    return Rendered(tuple(_cards(body, clickable, task_id)))


def _text(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": content}}


def markdown(card: Card, unclickable: list[Button]) -> list[dict[str, Any]]:
    """The whole card as markdown; buttons that cannot be clicked here are named so nothing goes unseen."""
    lines = [f"**{escape_markdown(card.title)}**"]
    if card.summary:
        lines.append(escape_markdown(card.summary))
    lines += [f"{escape_markdown(f.label)}：{escape_markdown(f.value, line_start=False)}" for f in card.fields]
    if unclickable:
        lines.append("▸ " + " · ".join(escape_markdown(b.label) for b in unclickable))
    return [{"msgtype": "markdown", "markdown": {"content": piece}}
            for piece in split_bytes("\n".join(lines), TEXT_LIMIT)]


def _cards(card: Card, buttons: list[Button], task_id: str) -> list[dict[str, Any]]:
    rows = [f for f in card.fields if len(f.value) <= VALUE_CHARS][:MAX_ROWS]
    long_fields = [f for f in card.fields if f not in rows]
    sub_lines = ([card.summary] if card.summary else []) + [f"{f.label}：{f.value}" for f in long_fields]
    subtitle = "\n".join(sub_lines)
    overflow = len(subtitle) > SUBTITLE_CHARS or len(card.title) > TITLE_CHARS
    # Text the card cannot show in full goes first as markdown, so the card never hides part of it.
    messages = markdown(card, []) if overflow else []
    groups = [buttons[i:i + MAX_BUTTONS] for i in range(0, len(buttons), MAX_BUTTONS)]
    for number, group in enumerate(groups, 1):
        title = shorten(card.title, TITLE_CHARS)
        template: dict[str, Any] = {"card_type": "button_interaction", "main_title": {"title": title}}
        if number == 1:
            if subtitle:
                template["sub_title_text"] = shorten(subtitle, SUBTITLE_CHARS)
            if rows:
                template["horizontal_content_list"] = [{"keyname": f.label, "value": f.value} for f in rows]
        else:  # more than six buttons: the rest on follow-up cards, none dropped
            template["main_title"]["desc"] = f"({number}/{len(groups)})"
        template["task_id"] = task_id if number == 1 else f"{task_id}-{number}"
        template["button_list"] = _buttons(group)
        messages.append({"msgtype": "template_card", "template_card": template})
    return messages


def _buttons(buttons: list[Button]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    rendered = []
    for button in buttons:
        key = button.action.pack()
        if key in seen:  # keys must be unique within a card; a repeated action still gets its button
            key = f"{key}&_n={len(seen)}"
        seen.add(key)
        # style 1 is the highlighted button, 2 the plain one (values 1-4, default 1)
        rendered.append({"text": button.label, "style": 1 if button.primary else 2, "key": key})
    return rendered


def update_body(card_message: Mapping[str, Any], *, agent_id: int, user: str, response_code: str,
                task_id: str | None) -> dict[str, Any]:
    """message/update_template_card (path/94888): the clicked card replaced by the new one, for its user."""
    template = dict(card_message["template_card"])
    if task_id:
        template["task_id"] = task_id
    return {"userids": [user], "agentid": agent_id, "response_code": response_code, "template_card": template}
