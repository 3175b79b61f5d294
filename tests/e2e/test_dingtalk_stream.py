"""DingTalk Stream mode end to end: the real dingtalk-stream SDK connects to a fake gateway on
127.0.0.1, robot frames are acked and answered, duplicates change nothing, a silent link is replaced."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.dingtalk import StreamOptions
from storage.models import Deal
from tests.harness.fake_dingtalk import DingtalkRig, FakeDingtalk, robot_message

BOT_TOPIC = "/v1.0/im/bot/messages/get"
CARD_TOPIC = "/v1.0/card/instances/callback"
OPTIONS = StreamOptions(ping_interval=0.2, silent_pings=2, open_timeout=3.0, retry_delay=0.05)


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[DingtalkRig]:
    fake = await FakeDingtalk().start()
    rig = await DingtalkRig(database_url, fake, mode="stream", stream_options=OPTIONS).start()
    await fake.wait_connections(1)
    yield rig
    await rig.close()
    await fake.close()


async def acked(fake: FakeDingtalk, message_id: str) -> dict[str, Any]:
    for _ in range(200):
        for ack in fake.frames_acked:
            if ack.get("headers", {}).get("messageId") == message_id:
                return ack
        await asyncio.sleep(0.02)
    raise AssertionError(f"frame {message_id} never acked")


async def test_robot_frame_is_acked_and_answered(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text=" help", expires_ms=rig.now_ms() + 5_400_000)
    await rig.fake.push(BOT_TOPIC, body, "frame-1")
    ack = await acked(rig.fake, "frame-1")
    assert (ack["code"], json.loads(ack["data"])) == (200, {"response": "OK"})
    await rig.settle(lambda: rig.fake.sent("/robot/sendBySession"))
    assert rig.fake.sent("/v1.0/gateway/connections/open")[0].body["clientId"] == "dingkey"


async def test_duplicate_delivery_changes_the_data_once(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, text=" 新建 华为", expires_ms=rig.now_ms() + 5_400_000)
    for frame in ("f1", "f2", "f3"):
        await rig.fake.push(BOT_TOPIC, body, frame)
    for frame in ("f1", "f2", "f3"):
        assert (await acked(rig.fake, frame))["code"] == 200
    await rig.settle(lambda: rig.fake.sent("/v1.0/im/v1.0/robot/interactiveCards/send"))
    assert await rig.count(Deal) == 1
    assert len(rig.fake.sent("/v1.0/im/v1.0/robot/interactiveCards/send")) == 1


async def test_card_callback_frame_is_acked_with_a_response(rig: DingtalkRig) -> None:
    click = {"type": "actionCallback", "outTrackId": "t1", "corpId": "ding-corp", "userId": "staff-li",
             "spaceType": "IM_ROBOT", "spaceId": "staff-li", "extension": "{}",
             "content": json.dumps({"cardPrivateData": {"actionIds": ["button_1"], "params": {}}})}
    await rig.fake.push(CARD_TOPIC, click, "card-1")
    ack = await acked(rig.fake, "card-1")
    assert (ack["code"], json.loads(ack["data"])) == (200, {"response": {}})


async def test_watchdog_reconnects_a_silent_connection(rig: DingtalkRig) -> None:
    rig.fake.go_silent()
    await rig.fake.wait_connections(2, within=5.0)  # 2 × 0.2 s of silence, then a fresh ticket
    assert len(rig.fake.sent("/v1.0/gateway/connections/open")) == 2
    body = robot_message(rig.fake, text=" help", msg_id="after", expires_ms=rig.now_ms() + 5_400_000)
    await rig.fake.push(BOT_TOPIC, body, "frame-after")
    assert (await acked(rig.fake, "frame-after"))["code"] == 200
    await rig.settle(lambda: rig.fake.sent("/robot/sendBySession"))


async def test_disconnect_frame_leads_to_a_new_connection(rig: DingtalkRig) -> None:
    await rig.fake.push("disconnect", {}, "sys-1", kind="SYSTEM")
    await rig.fake.wait_connections(2, within=5.0)
