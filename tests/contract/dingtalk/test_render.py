"""Every card builder's output, as the real handlers produce it, renders to the committed DingTalk JSON
(snapshots; DEALBOT_UPDATE_SNAPSHOTS=1 rewrites them); user text is defused; long bodies split."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.dingtalk import render
from bot.core.replies import ActionRef, Button, Card, Field, Reply, Text
from tests.harness.world import World

SNAPSHOTS = Path(__file__).parents[2] / "fixtures" / "snapshots" / "dingtalk"
COMMANDS = {  # snapshot name → (who, what they type); each answer comes from a different card builder
    "deal_card": ("li", "新建 华为 50万"),
    "collision_card": ("zhang", "新建 华为"),
    "help_card": ("li", "help"),
    "funnel_card": ("wang", "funnel"),
    "my_deals_card": ("li", "my"),
    "digest_card": ("wang", "digest"),
    "followup_card": ("li", "跟进 #1 客户要报价 明天"),
}


def as_json(reply: Reply) -> list[dict[str, Any]]:
    out = []
    for message in render.render(reply):
        key, param = render.robot_param(message)
        out.append({"kind": message.kind, "title": message.title, "text": message.text, "card": message.card,
                    "session_body": render.session_body(message), "robot": {"msgKey": key,
                                                                            "msgParam": json.loads(param)}})
    return out


def check(name: str, reply: Reply) -> None:
    path = SNAPSHOTS / f"{name}.json"
    got = json.dumps(as_json(reply), ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("DEALBOT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(got)
    assert got == path.read_text()


@pytest.fixture
async def answers(database_url: str) -> AsyncIterator[dict[str, Reply]]:
    world = World(database_url)
    for login, role in (("li", "rep"), ("zhang", "rep"), ("wang", "manager")):
        await world.add_user(login, role)
    replies = {}
    for name, (login, text) in COMMANDS.items():
        replies[name] = (await world.says(login, text))[0]
    yield replies
    await world.close()


async def test_card_builders_render_to_snapshots(answers: dict[str, Reply]) -> None:
    for name, reply in answers.items():
        check(name, reply)


def test_hostile_customer_name_mentions_nobody_and_links_nowhere() -> None:
    evil = "@所有人 @all @13800138000 <!channel> [领奖](http://evil.example) ![x](http://evil.example/p.png)"
    card = Card(evil, evil, summary=evil, fields=(Field("客户", evil),),
                buttons=(Button(evil, ActionRef("deal.move", {"id": "1", "to": "won"})),))
    check("hostile_card", Reply(card))
    blob = json.dumps(as_json(Reply(card)), ensure_ascii=False)
    for needle in ("@所有人", "@all", "@138"):
        assert needle not in blob
    markdown = "".join(m.text for m in render.render(Reply(card)))  # titles and labels are plain text
    assert "](http" not in markdown
    assert "![x]" not in markdown


def test_text_reply_is_plain_text_and_defused() -> None:
    [message] = render.render(Reply(Text("提醒 @所有人：明天开会")))
    assert render.session_body(message) == {"msgtype": "text", "text": {"content": "提醒 @\u200b所有人：明天开会"}}


def test_long_text_splits_without_losing_a_character() -> None:
    text = "\n".join(f"#{i} 华为技术有限公司 · 谈判 · ¥{i * 1000:,}" for i in range(800))
    parts = render.render(Reply(Text(text)))
    assert len(parts) > 1
    assert all(len(p.text.encode()) <= render.MAX_BODY_BYTES for p in parts)
    assert "\n".join(p.text for p in parts) == text


def test_one_huge_line_is_cut_at_character_boundaries() -> None:
    text = "华" * 5000
    parts = render.split(text, 3001)
    assert "".join(parts) == text
    assert all(len(p.encode()) <= 3001 for p in parts)


def test_long_card_keeps_its_buttons_on_the_last_part() -> None:
    fields = tuple(Field(f"第{i}项", "说明" * 40) for i in range(60))
    card = Card("长卡片", "长卡片", fields=fields, buttons=(Button("推进", ActionRef("deal.move", {"id": "1"})),))
    messages = render.render(Reply(card))
    assert [m.kind for m in messages] == ["markdown"] * (len(messages) - 1) + ["card"]
    assert messages[0].title == f"长卡片 (1/{len(messages)})"
