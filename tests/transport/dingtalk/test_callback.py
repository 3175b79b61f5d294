"""POST /dingtalk/callback over real HTTP: genuine requests are recorded and acknowledged; forged,
tampered, stale and wrong-robot ones are refused before any handler; a retry storm changes data once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.adapters.dingtalk.signing import sign
from storage.models import Deal, InboxEvent
from tests.harness.fake_dingtalk import DingtalkRig, FakeDingtalk, robot_message


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[DingtalkRig]:
    fake = await FakeDingtalk().start()
    rig = await DingtalkRig(database_url, fake).start()
    yield rig
    await rig.close()
    await fake.close()


async def test_signed_message_is_acknowledged_and_handled(rig: DingtalkRig) -> None:
    response = await rig.post(robot_message(rig.fake, expires_ms=rig.now_ms() + 5_400_000))
    assert response.status == 200
    await rig.settle()
    assert await rig.count(Deal) == 1


@pytest.mark.parametrize("case", ["no_headers", "forged", "wrong_secret", "stale", "future", "garbled_ts"])
async def test_bad_signature_or_timestamp_is_refused(rig: DingtalkRig, case: str) -> None:
    body = robot_message(rig.fake)
    if case == "no_headers":
        response = await rig.client.post("/dingtalk/callback", json=body)
    elif case == "forged":
        response = await rig.client.post("/dingtalk/callback", json=body,
                                         headers={"timestamp": str(rig.now_ms()), "sign": "Zm9yZ2Vk"})
    elif case == "wrong_secret":
        response = await rig.post(body, secret="another app's secret")
    elif case in ("stale", "future"):
        response = await rig.post(body, timestamp=rig.now_ms() + (-1 if case == "stale" else 1) * 3_600_001)
    else:
        response = await rig.client.post("/dingtalk/callback", json=body,
                                         headers={"timestamp": "NaN", "sign": "x"})
    assert response.status == 401
    await rig.settle()
    assert await rig.count(InboxEvent) == 0


async def test_message_for_another_robot_is_forbidden(rig: DingtalkRig) -> None:
    response = await rig.post(robot_message(rig.fake, robot_code="someone-elses-robot"))
    assert response.status == 403
    assert await rig.count(InboxEvent) == 0


async def test_replayed_request_outside_the_hour_is_refused(rig: DingtalkRig) -> None:
    """A captured request (headers and all) replayed after the window: the sign is valid, the time is not."""
    sent_at = rig.now_ms()
    assert (await rig.post(robot_message(rig.fake), timestamp=sent_at)).status == 200
    rig.clock.advance(timedelta(hours=1, seconds=1))
    assert (await rig.post(robot_message(rig.fake, msg_id="msg-2"), timestamp=sent_at)).status == 401


async def test_tampered_body_changes_nothing_the_sign_covers(rig: DingtalkRig) -> None:
    """DingTalk signs only timestamp + secret; a body that is not JSON is still refused with 400."""
    ts = str(rig.now_ms())
    response = await rig.client.post("/dingtalk/callback", data=b"\xff{not json",
                                     headers={"timestamp": ts, "sign": sign(rig.fake.app_secret, ts)})
    assert response.status == 400


async def test_retry_storm_changes_the_data_once(rig: DingtalkRig) -> None:
    body = robot_message(rig.fake, expires_ms=rig.now_ms() + 5_400_000)
    first = await asyncio.gather(*(rig.post(body) for _ in range(25)))
    rest = [await rig.post(body) for _ in range(25)]
    assert {r.status for r in first + rest} == {200}
    await rig.settle()
    assert await rig.count(Deal) == 1
    assert len(rig.fake.sent("/v1.0/im/v1.0/robot/interactiveCards/send")) == 1


async def test_ack_is_fast(rig: DingtalkRig) -> None:
    loop = asyncio.get_running_loop()
    timings = []
    for i in range(20):
        started = loop.time()
        response = await rig.post(robot_message(rig.fake, text=" help", msg_id=f"m{i}"))
        timings.append(loop.time() - started)
        assert response.status == 200
    timings.sort()
    assert timings[len(timings) // 2] < 0.5
