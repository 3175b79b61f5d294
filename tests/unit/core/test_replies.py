"""Replies: packed button actions and the JSON form the outbox stores."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import BadAction
from bot.core.replies import ActionRef, Button, Card, Field, Recipient, Reply, ReplyMode, Text, dump, load


def test_action_ref_round_trips() -> None:
    ref = ActionRef("deal.move", {"id": "42", "to": "won"})
    assert ref.pack() == "v1|deal.move|id=42&to=won"
    assert ActionRef.unpack(ref.pack()) == ref


@pytest.mark.parametrize("raw", ["", "v2|deal.move|id=1", "hello", "v1||id=1"])
def test_foreign_or_old_actions_are_refused(raw: str) -> None:
    with pytest.raises(BadAction):
        ActionRef.unpack(raw)


def test_overlong_action_is_refused() -> None:
    with pytest.raises(BadAction):
        ActionRef("x", {"note": "很" * 100}).pack()


def test_card_reply_round_trips_through_json() -> None:
    card = Card("华为 · 线索", "fallback", "summary", (Field("负责人", "李雷"),),
                (Button("推进", ActionRef("deal.move", {"id": "1"}), primary=True),))
    reply = Reply(card, ReplyMode.UPDATE_SOURCE, {"deal_id": 1}, Recipient("team", "sales"))
    assert load(dump(reply)) == reply


def test_text_reply_exposes_its_text() -> None:
    assert Reply(Text("hi")).text == "hi"


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=4))
def test_any_arguments_round_trip(args: dict[str, str]) -> None:
    ref = ActionRef("x.y", args)
    try:
        packed = ref.pack()
    except BadAction:  # too long for a button: refused, never truncated
        return
    assert ActionRef.unpack(packed) == ref
    assert packed == f"v1|x.y|{urlencode(sorted(args.items()))}"
