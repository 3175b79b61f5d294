"""End to end over real HTTP: signed Slack requests into dealbot serve, replies out through slack_sdk
to the fake Slack — a new deal's card, a button click updating it, a Log click opening a modal."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest

from bot.core.replies import ActionRef
from storage.models import Deal
from tests.harness.fake_slack import SlackRig, action_body, command_body

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SlackRig]:
    async with SlackRig(database_url) as rig:
        await rig.link("li", "U1")
        yield rig


def button_value(message: dict[str, object], name: str) -> str:
    blocks = message["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    for block in blocks:  # type: ignore[union-attr]
        for element in block.get("elements", ()):
            if ActionRef.unpack(element["value"]).name == name:
                return str(element["value"])
    raise AssertionError(f"no {name} button")


async def test_slash_command_new_creates_the_deal_and_posts_its_card(rig: SlackRig) -> None:
    response = await rig.post(command_body("new 华为 50万 下次 明天上午10点"))
    assert response.status == 200
    [posted] = await rig.wait_for("chat.postMessage")
    assert posted["channel"] == "C1"
    assert "华为" in posted["text"]
    assert await rig.count(Deal) == 1


async def test_card_button_moves_the_stage_and_updates_the_card(rig: SlackRig) -> None:
    await rig.post(command_body("new 华为 50万"))
    [card] = await rig.wait_for("chat.postMessage")
    await rig.post(action_body(button_value(card, "deal.move"), ts="1700000000.000001"))
    [update] = await rig.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == ("C1", "1700000000.000001")
    assert "推进" in update["text"] or "→" in update["text"]


async def test_log_button_opens_a_modal_whose_submission_logs_a_followup(rig: SlackRig) -> None:
    await rig.post(command_body("new 华为 50万"))
    [card] = await rig.wait_for("chat.postMessage")
    await rig.post(action_body(button_value(card, "deal.log_prompt"), trigger="trig-log"))
    [opened] = await rig.wait_for("views.open")
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert opened["trigger_id"] == "trig-log"
    view["id"], view["state"] = "V1", {"values": {"note": {"note": {"value": "电话沟通报价"}},
                                                  "next": {"next": {"value": "周五下午3点"}}}}
    payload = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"}, "view": view}
    response = await rig.post(urlencode({"payload": json.dumps(payload)}))
    assert response.status == 200
    posted = await rig.wait_for("chat.postMessage", 2)
    assert posted[1]["channel"] == "C1"
    assert "电话沟通报价" in posted[1]["text"]


async def test_log_button_without_a_modal_falls_back_to_the_private_prompt(rig: SlackRig) -> None:
    rig.fake.fail("views.open", "expired_trigger_id")
    await rig.post(command_body("new 华为 50万"))
    [card] = await rig.wait_for("chat.postMessage")
    await rig.post(action_body(button_value(card, "deal.log_prompt")))
    [prompt] = await rig.wait_for("chat.postEphemeral")
    assert (prompt["channel"], prompt["user"]) == ("C1", "U1")


async def test_unlinked_sender_is_told_to_ask_an_admin(rig: SlackRig) -> None:
    await rig.post(command_body("new 华为", user="U9"))
    [posted] = await rig.wait_for("chat.postMessage")
    assert "U9" in posted["text"]
    assert await rig.count(Deal) == 0


async def test_bolt_never_calls_auth_test(rig: SlackRig) -> None:
    await rig.post(command_body("help"))
    await rig.wait_for("chat.postMessage")
    assert not rig.fake.of("auth.test")
