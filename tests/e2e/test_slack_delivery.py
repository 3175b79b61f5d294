"""Delivery to a misbehaving fake Slack: 500s, timeouts and 429s are retried (429 after its
Retry-After) and nothing is lost; permanent refusals fall back to the response_url or dead-letter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tests.harness.fake_slack import SlackRig, command_body

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SlackRig]:
    async with SlackRig(database_url, timeout=0.3) as rig:
        await rig.link("li", "U1")
        yield rig


async def first_attempt_failed(rig: SlackRig) -> None:
    for _ in range(250):
        rows = await rig.outbox()
        if rows and rows[0][2]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(await rig.outbox())


@pytest.mark.parametrize("failure", ["500", "timeout", "internal_error"])
async def test_failed_post_is_retried_and_delivered_once(rig: SlackRig, failure: str) -> None:
    rig.fake.fail("chat.postMessage", failure)
    await rig.post(command_body("help"))
    await first_attempt_failed(rig)
    rig.clock.advance(timedelta(minutes=11))  # past any backoff
    delivered = await rig.wait_for("chat.postMessage")
    assert len(delivered) == 1
    assert await rig.settled() == ["delivered"]


async def test_429_waits_for_its_retry_after(rig: SlackRig) -> None:
    rig.fake.fail("chat.postMessage", "429")
    await rig.post(command_body("help"))
    await first_attempt_failed(rig)
    rig.clock.advance(timedelta(seconds=1))
    await asyncio.sleep(0.2)
    assert [c["_status"] for c in rig.fake.of("chat.postMessage")] == ["429"]
    rig.clock.advance(timedelta(seconds=1))
    assert len(await rig.wait_for("chat.postMessage")) == 1


async def test_bot_outside_the_channel_answers_through_the_response_url(rig: SlackRig) -> None:
    rig.fake.fail("chat.postMessage", "not_in_channel")
    await rig.post(command_body("help", response_url=rig.fake.base + "response/cmd1"))
    [answer] = await rig.wait_for("response_url")
    assert answer["response_type"] == "in_channel"
    assert await rig.settled() == ["delivered"]


async def test_permanent_refusal_is_dead_lettered_not_retried(rig: SlackRig) -> None:
    rig.fake.fail("chat.postMessage", "is_archived")
    await rig.post(command_body("help"))
    await first_attempt_failed(rig)
    rig.clock.advance(timedelta(minutes=11))
    assert await rig.settled() == ["dead"]
    assert len(rig.fake.of("chat.postMessage")) == 1
