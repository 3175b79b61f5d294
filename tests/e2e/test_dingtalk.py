"""DingTalk end to end (HTTP callback mode) against a fake DingTalk on 127.0.0.1: answers through the
sessionWebhook, through the robot APIs once it has expired, card clicks, failures without loss."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Deal
from tests.harness.fake_dingtalk import DingtalkRig, FakeDingtalk, robot_message

CARD_SEND = "/v1.0/im/v1.0/robot/interactiveCards/send"
GROUP_SEND = "/v1.0/robot/groupMessages/send"
HOUR_AND_HALF_MS = 5_400_000


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[DingtalkRig]:
    fake = await FakeDingtalk(hang_seconds=1.0).start()
    rig = await DingtalkRig(database_url, fake).start()
    yield rig
    await rig.close()
    await fake.close()


def param(call: Any) -> dict[str, Any]:
    return dict(json.loads(call.body["msgParam"]))


async def test_group_mention_is_answered_through_the_session_webhook(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text=" help", expires_ms=rig.now_ms() + HOUR_AND_HALF_MS)
    assert (await rig.post(body)).status == 200
    await rig.settle(lambda: rig.fake.sent("/robot/sendBySession"))
    [call] = rig.fake.sent("/robot/sendBySession")
    assert call.query == {"session": "msg-1"}
    assert call.body["msgtype"] == "markdown"
    assert rig.fake.sent(GROUP_SEND) == []


async def test_expired_session_webhook_falls_back_to_the_group_robot_api(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text=" help", expires_ms=rig.now_ms() - 1)  # the frozen clock is past it
    assert (await rig.post(body)).status == 200
    await rig.settle(lambda: rig.fake.sent(GROUP_SEND))
    [call] = rig.fake.sent(GROUP_SEND)
    assert call.body["openConversationId"] == "cid-group-1"
    assert (call.body["robotCode"], call.body["msgKey"]) == ("dingkey", "sampleMarkdown")
    assert call.headers["x-acs-dingtalk-access-token"].startswith("tok-")
    assert rig.fake.sent("/robot/sendBySession") == []


async def test_direct_chat_after_expiry_uses_one_to_one_batch_send(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text="help", group=False, expires_ms=rig.now_ms() - 1)
    await rig.post(body)
    await rig.settle(lambda: rig.fake.sent("/v1.0/robot/oToMessages/batchSend"))
    [call] = rig.fake.sent("/v1.0/robot/oToMessages/batchSend")
    assert call.body["userIds"] == ["staff-li"]


async def test_unknown_sender_is_told_to_ask_an_admin(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text=" help", staff_id="stranger", expires_ms=rig.now_ms() + HOUR_AND_HALF_MS)
    await rig.post(body)
    await rig.settle(lambda: rig.fake.sent("/robot/sendBySession"))
    [call] = rig.fake.sent("/robot/sendBySession")
    assert "stranger" in call.body["text"]["content"]


async def test_card_click_moves_the_stage_and_updates_the_card(rig: DingtalkRig) -> None:
    await rig.post(robot_message(rig.fake, text=" 新建 华为", expires_ms=rig.now_ms() + HOUR_AND_HALF_MS))
    await rig.settle(lambda: rig.fake.sent(CARD_SEND))
    [sent] = rig.fake.sent(CARD_SEND)
    actions = json.loads(sent.body["cardData"])["contents"][1]["actions"]
    move = next(a for a in actions if a["label"]["text"].startswith("推进"))
    click = {"type": "actionCallback", "outTrackId": sent.body["cardBizId"], "corpId": "ding-corp",
             "userId": "staff-li", "userIdType": 1, "spaceType": "IM_GROUP", "spaceId": "cid-group-1",
             "extension": "{}", "content": json.dumps({"cardPrivateData": {"actionIds": [move["id"]], "params": {}}})}
    assert (await rig.post(click)).status == 200
    await rig.settle(lambda: rig.fake.sent("/v1.0/im/robots/interactiveCards"))
    [update] = rig.fake.sent("/v1.0/im/robots/interactiveCards")
    assert update.method == "PUT"
    assert update.body["cardBizId"] == sent.body["cardBizId"]
    async with rig.server.app.uow_factory() as uow:
        assert await uow.session.scalar(select(Deal.stage)) == "qualified"


@pytest.mark.parametrize("failures", [("500",), ("timeout",), ("429",), ("500", "timeout", "429")])
async def test_failing_platform_is_retried_without_loss(rig: DingtalkRig, failures: tuple[str, ...]) -> None:
    rig.fake.fail(GROUP_SEND, *failures)
    await rig.post(robot_message(rig.fake, text=" help", expires_ms=rig.now_ms() - 1))
    for _ in range(len(failures) + 1):
        await rig.settle()
        rig.clock.advance(timedelta(minutes=11))  # past any backoff or Retry-After
    await rig.settle(lambda: rig.fake.sent(GROUP_SEND))
    attempts = [c.outcome for c in rig.fake.calls if c.path == GROUP_SEND]
    assert attempts == [*failures, "ok"]
    assert len(rig.fake.sent(GROUP_SEND)) == 1


async def test_expired_token_is_refreshed_once(rig: DingtalkRig) -> None:
    for i, expired in enumerate((False, True)):
        if expired:
            rig.clock.advance(timedelta(hours=2))
        await rig.post(robot_message(rig.fake, text=" help", msg_id=f"m{i}", expires_ms=rig.now_ms() - 1))
        await rig.settle(lambda n=i + 1: len(rig.fake.sent(GROUP_SEND)) == n)
    tokens = [c.headers["x-acs-dingtalk-access-token"] for c in rig.fake.sent(GROUP_SEND)]
    assert len(rig.fake.sent("/v1.0/oauth2/accessToken")) == 2
    assert tokens[0] != tokens[1]
