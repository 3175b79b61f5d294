"""Serving in two processes (the default): the acknowledging side records and acks without handling, the
processing side handles what was recorded and its replies reach Slack; retries still count once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from storage.models import Deal
from tests.harness.fake_slack import command_body, event_body
from tests.harness.split_rig import SplitSlackRig

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SplitSlackRig]:
    async with SplitSlackRig(database_url) as rig:
        await rig.link("li", "U1")
        yield rig


async def test_slash_command_is_handled_by_the_processing_side_and_its_card_posted(rig: SplitSlackRig) -> None:
    response = await rig.post(command_body("new 华为 50万 下次 明天上午10点"))
    assert response.status == 200
    [posted] = await rig.wait_for("chat.postMessage")
    assert "华为" in posted["text"]
    assert await rig.count(Deal) == 1
    assert rig.wakeups == 1


async def test_the_ack_waits_for_the_record_only(database_url: str) -> None:
    async with SplitSlackRig(database_url, processing=False) as rig:
        await rig.link("li", "U1")
        assert (await rig.post(command_body("new 华为 50万"))).status == 200
        assert await rig.recorded() == ["received"]
        assert await rig.count(Deal) == 0  # acknowledged, recorded, not yet handled
        rig.start_processing()
        await rig.wait_for("chat.postMessage")
        await rig.stop_processing()
        assert await rig.count(Deal) == 1
        assert await rig.recorded() == ["done"]


async def test_a_retry_storm_changes_the_data_once(rig: SplitSlackRig) -> None:
    body = event_body("Ev-storm", {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1",
                                   "text": "new 华为 50万", "ts": "1700000000.000100"})
    responses = await asyncio.gather(*(rig.post(body, form=False, headers={"X-Slack-Retry-Num": str(n % 3)})
                                       for n in range(20)))
    assert all(r.status == 200 for r in responses)
    await rig.wait_for("chat.postMessage")
    await rig.stop_processing()  # finishes everything recorded
    assert await rig.count(Deal) == 1
    assert len(rig.fake.of("chat.postMessage")) == 1
