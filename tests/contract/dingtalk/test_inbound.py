"""Recorded DingTalk payloads (robot messages, card clicks) parse into the expected neutral events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.dingtalk.inbound import (
    addressed_to,
    decode_action_id,
    encode_action_id,
    is_card_callback,
    parse_card_callback,
    parse_message,
)
from bot.core.messages import InboundEvent, event_to_dict

PAYLOADS = Path(__file__).parents[2] / "fixtures" / "payloads" / "dingtalk"
PREFIX = "https://oapi.dingtalk.com/robot/sendBySession"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def cases() -> list[tuple[str, dict[str, Any]]]:
    return [(p.stem, json.loads(p.read_text())) for p in sorted(PAYLOADS.glob("*.json"))]


@pytest.mark.parametrize(("name", "case"), cases(), ids=[name for name, _ in cases()])
def test_payload_parses_to_the_expected_event(name: str, case: dict[str, Any]) -> None:
    payload = case["payload"]
    assert is_card_callback(payload) == (case["_kind"] == "card")
    event: InboundEvent | None
    if case["_kind"] == "card":
        event = parse_card_callback(payload, received_at=NOW)
    else:
        event = parse_message(payload, received_at=NOW, webhook_prefix=PREFIX)
    summary = None if event is None else {k: v for k, v in event_to_dict(event).items() if k != "received_at"}
    assert summary == case["_expect"]


def test_action_id_round_trips_and_stays_in_a_safe_alphabet() -> None:
    packed = "v1|deal.move|id=42&lang=zh-CN&to=won"
    encoded = encode_action_id(packed)
    assert encoded.replace("_", "").replace("-", "").isalnum()
    assert decode_action_id(encoded) == packed
    assert decode_action_id("dealbot_%%%") is None
    assert decode_action_id("button_1") is None


def test_message_for_another_robot_is_not_addressed_to_us() -> None:
    assert addressed_to({"robotCode": "dingrobot01"}, "dingrobot01")
    assert not addressed_to({"robotCode": "someone-else"}, "dingrobot01")


def test_message_without_sender_or_id_is_ignored() -> None:
    body = json.loads((PAYLOADS / "group_text.json").read_text())["payload"]
    for key in ("msgId", "senderStaffId"):
        broken = {k: v for k, v in body.items() if k != key and not (key == "senderStaffId" and k == "senderId")}
        assert parse_message(broken, received_at=NOW, webhook_prefix=PREFIX) is None


def test_card_callback_with_broken_content_is_ignored() -> None:
    data = {"outTrackId": "t", "userId": "u", "content": "{not json"}
    assert parse_card_callback(data, received_at=NOW) is None
