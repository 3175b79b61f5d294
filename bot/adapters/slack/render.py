"""Pure rendering of neutral replies as Slack messages: a Card becomes Block Kit (header, sections,
fields, buttons) with its text fallback in `text`; a Text becomes mrkdwn. Limits split, never drop."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.mrkdwn import escape, md_lite, split_text
from bot.core.replies import Button, Card, Reply

# https://docs.slack.dev/reference/block-kit/blocks — per-message and per-block limits.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER = 150
MAX_BUTTON_LABEL = 75
MAX_ACTIONS = 25
# https://docs.slack.dev/reference/methods/chat.postMessage#truncating — Slack truncates long `text`;
# 4000 characters is the size it recommends, so longer texts go out as several messages.
MAX_TEXT = 3900

Block = dict[str, Any]
Message = dict[str, Any]


def render(reply: Reply) -> list[Message]:
    """The Slack message payloads (`text` and `blocks`) for one reply, in order; at least one."""
    if isinstance(reply.body, Card):
        return _card_messages(reply.body)
    return [{"text": piece} for piece in split_text(md_lite(reply.body.text), MAX_TEXT)]


def _card_messages(card: Card) -> list[Message]:
    blocks = card_blocks(card)
    chunks = [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)]
    fallback = md_lite(card.fallback_text)  # the fallback may carry the summary's md-lite too
    messages: list[Message] = [{"text": fallback, "blocks": chunks[0]}]
    for number, chunk in enumerate(chunks[1:], start=2):
        messages.append({"text": f"{escape(card.title)} ({number}/{len(chunks)})", "blocks": chunk})
    return messages


def card_blocks(card: Card) -> list[Block]:
    blocks: list[Block] = [_header(card.title)]
    if card.summary:
        blocks += _sections(md_lite(card.summary))
    blocks += _field_blocks(card)
    blocks += _button_blocks(card.buttons)
    return blocks


def _header(title: str) -> Block:
    # Header text is plain_text (never parsed for mentions, so not escaped) and capped at 150;
    # a longer title goes into a bold section instead of being cut.
    if len(title) <= MAX_HEADER:
        return {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(title)}*"[:MAX_SECTION_TEXT]}}


def _sections(mrkdwn: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}}
            for piece in split_text(mrkdwn, MAX_SECTION_TEXT)]


def _field_blocks(card: Card) -> list[Block]:
    """Fields ten to a section, in order; a field too long for one goes into its own section(s)."""
    blocks: list[Block] = []
    group: list[dict[str, str]] = []
    for field in card.fields:
        text = f"*{escape(field.label)}*\n{escape(field.value)}"
        if len(text) > MAX_FIELD_TEXT or len(group) == MAX_FIELDS:
            blocks += [{"type": "section", "fields": group}] if group else []
            group = []
        if len(text) > MAX_FIELD_TEXT:
            blocks += _sections(text)
        else:
            group.append({"type": "mrkdwn", "text": text})
    return blocks + ([{"type": "section", "fields": group}] if group else [])


def _button_blocks(buttons: tuple[Button, ...]) -> list[Block]:
    elements = [_button(index, button) for index, button in enumerate(buttons)]
    return [{"type": "actions", "elements": elements[i : i + MAX_ACTIONS]}
            for i in range(0, len(elements), MAX_ACTIONS)]


def _button(index: int, button: Button) -> dict[str, Any]:
    label = button.label if len(button.label) <= MAX_BUTTON_LABEL else button.label[: MAX_BUTTON_LABEL - 1] + "…"
    # action_id must be unique within the message; the packed ActionRef (≤ 200 bytes, Slack allows
    # 2000) is the value bolt hands back in block_actions.
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": label, "emoji": True},
                               "action_id": f"dealbot-{index}", "value": button.action.pack()}
    if button.primary:
        element["style"] = "primary"
    return element
