"""Recorded Slack payloads (as bolt hands them over) parse into the expected neutral events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.inbound import parse
from bot.core.messages import InboundAction, InboundEvent, InboundMessage
from tests.harness.world import DEFAULT_NOW

PAYLOADS = sorted((Path(__file__).parents[2] / "fixtures" / "payloads" / "slack").glob("*.json"))


def summarize(event: InboundEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    conv = event.conversation
    data: dict[str, Any] = {
        "type": "action" if isinstance(event, InboundAction) else "message", "event_key": event.event_key,
        "tenant": conv.tenant, "channel": conv.channel, "thread": conv.thread, "is_direct": conv.is_direct,
        "user": event.sender.user_id, "display_name": event.sender.display_name,
        "reply_handle": dict(event.reply_handle) if event.reply_handle else None,
    }
    if isinstance(event, InboundMessage):
        data.update(text=event.text, mentioned_bot=event.mentioned_bot)
    else:
        data.update(action=event.action, source_message_id=event.source_message_id)
    return data


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: p.stem)
def test_slack_payload_normalizes(path: Path) -> None:
    case = json.loads(path.read_text())
    event = parse(case["body"], DEFAULT_NOW)
    assert summarize(event) == case["_expect"]
    assert event is None or event.received_at == DEFAULT_NOW


def test_every_payload_kind_is_recorded() -> None:
    assert len(PAYLOADS) >= 15
