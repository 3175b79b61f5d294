"""Slack retries (X-Slack-Retry-Num, same event_id) over real HTTP: all acknowledged, handled once;
and the ack does not wait for the handling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from storage.models import Deal, InboxEvent
from tests.harness.fake_slack import SlackRig, event_body

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SlackRig]:
    async with SlackRig(database_url) as rig:
        await rig.link("li", "U1")
        yield rig


def mention(event_id: str, text: str) -> str:
    event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": "1700000000.000100",
             "channel": "C1", "event_ts": "1700000000.000100"}
    return event_body(event_id, event)


async def test_retry_storm_changes_the_data_once(rig: SlackRig) -> None:
    body = mention("Ev0STORM", "new 华为 50万")
    first = await asyncio.gather(*(rig.post(body, form=False, headers={"X-Slack-Retry-Num": str(n % 3 + 1),
                                                                         "X-Slack-Retry-Reason": "http_timeout"})
                                   for n in range(25)))
    later = [await rig.post(body, form=False, headers={"X-Slack-Retry-Num": "3"}) for _ in range(25)]
    assert {r.status for r in first + later} == {200}
    await rig.wait_for("chat.postMessage")
    await asyncio.sleep(0.3)
    assert await rig.count(Deal) == 1
    assert await rig.count(InboxEvent) == 1
    assert len(rig.fake.of("chat.postMessage")) == 1
