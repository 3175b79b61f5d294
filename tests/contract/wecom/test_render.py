"""Replies render to the WeCom JSON committed under tests/fixtures/snapshots/wecom (compared exactly; set
UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.wecom.markup import TEXT_LIMIT, split_bytes
from bot.adapters.wecom.render import Surface, render, update_body
from bot.core.replies import ActionRef, Button, Card, Field, Reply, Text
from config import PipelineSettings
from handlers.catalog import load_catalogs
from handlers.views import deal_card
from storage.dto import DealView, Money
from storage.pipeline import Pipeline

SNAPSHOTS = Path(__file__).parents[2] / "fixtures" / "snapshots" / "wecom"
NOW = datetime(2026, 11, 27, 2, tzinfo=UTC)
HOSTILE = "<@all> @所有人 <!channel> **华为** [点我](http://evil.invalid) <a href=\"x\">"


def deal(customer: str = "华为", note: str | None = "电话沟通了报价") -> DealView:
    return DealView(42, 7, customer, "li", "Li", "sales", "proposal", Money(Decimal("120000"), "CNY"), False,
                    datetime(2026, 11, 30, 2, tzinfo=UTC), False, note, NOW, NOW)


def card(view: DealView, locale: str = "zh-CN") -> Card:
    load_catalogs()
    return deal_card(view, Pipeline(PipelineSettings()), locale, "Asia/Shanghai", NOW, summary="已记录跟进")


def assert_snapshot(name: str, data: Any) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("DEALBOT_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert path.read_text() == text, f"{name} changed; UPDATE_SNAPSHOTS=1 rewrites it"


CASES: dict[str, Callable[[], Any]] = {
    "deal_card_app": lambda: render(Reply(card(deal())), task_id="task-1").messages,
    "deal_card_en_app": lambda: render(Reply(card(deal(), "en")), task_id="task-1").messages,
    "deal_card_long_note_app": lambda: render(Reply(card(deal(note="很长的备注" * 30))), task_id="task-1").messages,
    "deal_card_appchat": lambda: render(Reply(card(deal())), Surface.APPCHAT).messages,
    "deal_card_robot_hostile": lambda: render(Reply(card(deal(HOSTILE))), Surface.ROBOT).messages,
    "deal_card_app_hostile": lambda: render(Reply(card(deal(HOSTILE))), task_id="task-1").messages,
    "card_without_buttons": lambda: render(Reply(Card("本周", "本周: 3", fields=(Field("新建", "3"),)))).messages,
    "text_hostile": lambda: render(Reply(Text(f"客户 {HOSTILE} 已存在"))).messages,
    "eight_buttons": lambda: render(Reply(Card("选择", "选择", buttons=tuple(
        Button(f"选项{i}", ActionRef("deal.move", {"id": "1", "to": f"s{i}"})) for i in range(8)))),
        task_id="task-1").messages,
    "update_template_card": lambda: update_body(render(Reply(card(deal())), task_id="new").messages[0],
                                                agent_id=1000002, user="lisi", response_code="code-1",
                                                task_id="task-1"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_render_matches_snapshot(name: str) -> None:
    assert_snapshot(name, CASES[name]())


def test_long_text_is_split_at_2048_bytes_and_nothing_is_lost() -> None:
    text = "\n".join(f"第{i}行：华为技术有限公司跟进记录" for i in range(200))
    messages = render(Reply(Text(text))).messages
    contents = [m["text"]["content"] for m in messages]
    assert len(contents) > 1
    assert all(len(c.encode()) <= TEXT_LIMIT for c in contents)
    assert "\n".join(contents) == text


def test_a_line_longer_than_the_limit_is_cut_between_characters() -> None:
    pieces = split_bytes("华" * 1000)  # 3000 bytes, no newline
    assert [len(p.encode()) for p in pieces] == [2046, 954]
    assert "".join(pieces) == "华" * 1000


def test_button_keys_are_the_packed_actions_within_wecoms_1024_bytes() -> None:
    [message] = render(Reply(card(deal())), task_id="t").messages
    keys = [b["key"] for b in message["template_card"]["button_list"]]
    assert all(ActionRef.unpack(k).args["id"] == "42" for k in keys)
    assert all(len(k.encode()) <= 1024 for k in keys)
    assert len(set(keys)) == len(keys)


def test_hostile_names_mention_nobody_in_markdown() -> None:
    messages = render(Reply(card(deal(HOSTILE))), Surface.ROBOT).messages
    content = "".join(m["markdown"]["content"] for m in messages)
    assert "<@" not in content
    assert "](" not in content
    assert "**华为**" not in content
    assert "mentioned_list" not in json.dumps(messages)
