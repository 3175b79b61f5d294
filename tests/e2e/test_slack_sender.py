"""The Slack sender against the fake Web API, one target shape or reply mode per test: pushes to users
and team channels, ephemeral replies, DMs, updates of ephemeral cards, split cards, queued posts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.base import Delivered, Rejected
from bot.adapters.slack.pacing import ChannelPacer
from bot.adapters.slack.sender import SlackSender
from bot.core.replies import Field, Reply, ReplyMode, Text
from tests.contract.slack.cards import oversize
from tests.harness.fake_slack import TOKEN, FakeSlack

pytestmark = pytest.mark.asyncio


@pytest.fixture
def fake(fake_slack: FakeSlack) -> FakeSlack:
    return fake_slack


@pytest.fixture
async def sender(fake: FakeSlack) -> AsyncIterator[SlackSender]:
    sender = SlackSender(TOKEN, fake.api_url, timeout=0.5, pacer=ChannelPacer(per_second=20, burst=50))
    yield sender
    await sender.close()


def in_channel(**extra: Any) -> dict[str, Any]:
    return {"kind": "conversation", "platform": "slack", "tenant": "T1", "channel": "C1", "thread": None,
            "user": "U1", "direct": False, "reply_handle": None, "source_message_id": None, **extra}


async def test_push_to_a_user_opens_a_dm_once(fake: FakeSlack, sender: SlackSender) -> None:
    target = {"kind": "user", "login": "li", "platform_user_id": "U1"}
    assert isinstance(await sender.send(target, Reply(Text("a"))), Delivered)
    assert isinstance(await sender.send(target, Reply(Text("b"))), Delivered)
    assert len(fake.of("conversations.open")) == 1
    assert [m["channel"] for m in fake.of("chat.postMessage")] == ["D1", "D1"]


async def test_push_to_a_team_posts_in_its_channel(fake: FakeSlack, sender: SlackSender) -> None:
    result = await sender.send({"kind": "team", "name": "sales", "address": {"channel": "C9"}}, Reply(Text("hi")))
    assert result == Delivered("C9:1700000000.000001")


async def test_team_without_a_slack_channel_is_rejected(sender: SlackSender) -> None:
    result = await sender.send({"kind": "team", "name": "sales", "address": {}}, Reply(Text("hi")))
    assert isinstance(result, Rejected)


async def test_ephemeral_reply_in_a_channel_goes_to_the_sender_only(fake: FakeSlack, sender: SlackSender) -> None:
    await sender.send(in_channel(thread="1.2"), Reply(Text("金额 ¥500,000"), mode=ReplyMode.EPHEMERAL))
    [ephemeral] = fake.of("chat.postEphemeral")
    assert (ephemeral["channel"], ephemeral["user"], ephemeral["thread_ts"]) == ("C1", "U1", "1.2")
    assert not fake.of("chat.postMessage")


async def test_direct_to_user_mode_answers_in_a_dm(fake: FakeSlack, sender: SlackSender) -> None:
    await sender.send(in_channel(), Reply(Text("私聊"), mode=ReplyMode.DIRECT_TO_USER))
    assert [m["channel"] for m in fake.of("chat.postMessage")] == ["D1"]


async def test_update_of_an_ephemeral_card_goes_through_its_response_url(fake: FakeSlack, sender: SlackSender) -> None:
    handle = {"response_url": fake.base + "response/eph", "ephemeral": "1"}
    target = in_channel(source_message_id="C1:1.5", reply_handle=handle)
    assert isinstance(await sender.send(target, Reply(Text("done"), mode=ReplyMode.UPDATE_SOURCE)), Delivered)
    [answer] = fake.of("response_url")
    assert answer["replace_original"] is True
    assert not fake.of("chat.update")


async def test_vanished_source_message_is_answered_anew(fake: FakeSlack, sender: SlackSender) -> None:
    fake.fail("chat.update", "message_not_found")
    result = await sender.send(in_channel(source_message_id="C1:1.5"), Reply(Text("x"), mode=ReplyMode.UPDATE_SOURCE))
    assert isinstance(result, Delivered)
    assert len(fake.of("chat.postMessage")) == 1


async def test_split_card_posts_every_part_in_order(fake: FakeSlack, sender: SlackSender) -> None:
    assert isinstance(await sender.send(in_channel(), oversize()), Delivered)
    assert len(fake.of("chat.postMessage")) >= 2


async def test_posts_to_one_channel_are_paced_not_dropped(fake: FakeSlack) -> None:
    sender = SlackSender(TOKEN, fake.api_url, pacer=ChannelPacer(per_second=10, burst=1))
    started = time.perf_counter()
    results = await asyncio.gather(*(sender.send(in_channel(), Reply(Text(str(n)))) for n in range(4)))
    await sender.close()
    assert all(isinstance(r, Delivered) for r in results)
    assert time.perf_counter() - started >= 0.29  # three waits of 0.1 s
    assert sorted(m["text"] for m in fake.of("chat.postMessage")) == ["0", "1", "2", "3"]


async def test_fields_with_mentions_are_escaped_on_the_wire(fake: FakeSlack, sender: SlackSender) -> None:
    from bot.core.replies import Card
    await sender.send(in_channel(), Reply(Card("t", "<!here>", fields=(Field("客户", "<!channel>"),))))
    [posted] = fake.of("chat.postMessage")
    assert "<!" not in str(posted)
