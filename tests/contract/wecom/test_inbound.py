"""Recorded WeCom callbacks (decrypted XML) parse into the expected neutral events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.wecom.inbound import parse, parse_xml
from bot.core.messages import InboundAction, InboundEvent

PAYLOADS = sorted((Path(__file__).parents[2] / "fixtures" / "payloads" / "wecom").glob("*.json"))
CORP = "ww1436e0e65a779aee"
NOW = datetime(2026, 11, 27, 2, tzinfo=UTC)


def summarize(event: InboundEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    data: dict[str, Any] = {"event_key": event.event_key, "user": event.sender.user_id,
                            "channel": event.conversation.channel, "tenant": event.conversation.tenant}
    if isinstance(event, InboundAction):
        data.update(type="action", action=event.action, source_message_id=event.source_message_id,
                    reply_handle=dict(event.reply_handle or {}))
    else:
        data.update(type="message", text=event.text)
    return data


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: p.stem)
def test_wecom_payload_normalizes(path: Path) -> None:
    case = json.loads(path.read_text())
    event = parse(parse_xml(case["xml"]), corp_id=CORP, received_at=NOW, agent_id="1000002")
    assert summarize(event) == case["_expect"]


def test_callback_for_another_corp_is_ignored() -> None:
    case = json.loads(PAYLOADS[0].read_text())
    assert parse(parse_xml(case["xml"]), corp_id="ww-other", received_at=NOW) is None


def test_xml_with_entities_is_refused() -> None:
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'
    with pytest.raises(Exception):  # noqa: B017, PT011 — expat's error type
        parse_xml(bomb)


def test_events_are_direct_conversations_with_the_sender() -> None:
    case = json.loads((PAYLOADS[0].parent / "text.json").read_text())
    event = parse(parse_xml(case["xml"]), corp_id=CORP, received_at=NOW)
    assert event is not None
    assert event.conversation.is_direct
    assert event.received_at == NOW
