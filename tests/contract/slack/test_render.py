"""Every sample reply renders to the committed Block Kit snapshot; limits split and never drop."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.modals import modal_view
from bot.adapters.slack.render import MAX_BLOCKS, MAX_FIELDS, MAX_SECTION_TEXT, render
from bot.core.replies import ActionRef
from tests.contract.slack.cards import HOSTILE, oversize, samples

SNAPSHOTS = Path(__file__).parents[2] / "fixtures" / "snapshots" / "slack"
ORIGIN = {"team": "T0001", "channel": "C0SALES", "thread": None, "direct": False}


def matches_snapshot(name: str, value: Any) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("DEALBOT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text)  # a new snapshot is reviewed in the diff and committed
    assert text == path.read_text()


@pytest.mark.parametrize("name", sorted(samples()))
def test_reply_renders_as_its_snapshot(name: str) -> None:
    matches_snapshot(name, render(samples()[name]))


@pytest.mark.parametrize(("name", "action"), [("modal_log", "deal.log_prompt"), ("modal_remind", "deal.remind_prompt")])
def test_modal_renders_as_its_snapshot(name: str, action: str) -> None:
    matches_snapshot(name, modal_view(ActionRef(action, {"id": "12", "lang": "zh-CN"}), ORIGIN))


def test_user_text_mentions_nobody() -> None:
    rendered = json.dumps(render(samples()["deal_card_hostile"]), ensure_ascii=False)
    outside_plain_text = rendered.replace(HOSTILE, "")  # header/button plain_text is never parsed for mentions
    assert "<!channel>" not in outside_plain_text
    assert "<@U0BOSS>" not in outside_plain_text
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;" in rendered


def blocks_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [block for message in messages for block in message["blocks"]]


def test_oversize_card_is_split_within_every_limit() -> None:
    messages = render(oversize())
    assert len(messages) > 1
    assert all(len(m["blocks"]) <= MAX_BLOCKS and m["text"] for m in messages)
    for block in blocks_of(messages):
        assert len(block.get("text", {}).get("text", "")) <= MAX_SECTION_TEXT
        assert len(block.get("fields", ())) <= MAX_FIELDS


def test_oversize_card_drops_nothing() -> None:
    card = oversize().body
    rendered = json.dumps(render(oversize()), ensure_ascii=False)
    values = [b["value"] for b in blocks_of(render(oversize())) for b in [*b.get("elements", ())]]
    assert values == [b.action.pack() for b in card.buttons]  # type: ignore[union-attr]
    assert all(f"*{f.label}*" in rendered for f in card.fields)  # type: ignore[union-attr]
    summary = "".join(b["text"]["text"] for b in blocks_of(render(oversize()))[1:] if b["type"] == "section"
                      and "text" in b)
    assert card.summary in summary  # type: ignore[union-attr,operator]
