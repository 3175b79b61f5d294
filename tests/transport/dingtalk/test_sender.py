"""The DingTalk sender against the fake API: team groups by conversation id or signed custom-robot
webhook, the 20-a-minute group limit queued (never dropped), refusals classified."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.adapters.base import Delivered, Rejected, RetryLater
from bot.adapters.dingtalk.api import DingtalkApi
from bot.adapters.dingtalk.limiter import SendWindow
from bot.adapters.dingtalk.sender import DingtalkSender
from bot.core.replies import Reply, Text
from tests.harness.fake_dingtalk import FakeDingtalk

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
async def fake() -> AsyncIterator[FakeDingtalk]:
    fake = await FakeDingtalk().start()
    yield fake
    await fake.close()


@pytest.fixture
async def api(fake: FakeDingtalk) -> AsyncIterator[DingtalkApi]:
    api = DingtalkApi(fake.url, fake.app_key, fake.app_secret, lambda: NOW, timeout=0.5)
    yield api
    await api.close()


def team(fake: FakeDingtalk, secret: str | None) -> dict[str, object]:
    return {"kind": "team", "name": "sales",
            "address": {"webhook": f"{fake.url}/robot/send?access_token=T", "secret": secret}}


async def test_custom_robot_webhook_is_signed(fake: FakeDingtalk, api: DingtalkApi) -> None:
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False)
    assert isinstance(await sender.send(team(fake, fake.robot_secret), Reply(Text("周报"))), Delivered)
    [call] = fake.sent("/robot/send")
    assert call.query["timestamp"] == str(int(NOW.timestamp() * 1000))
    assert call.body == {"msgtype": "text", "text": {"content": "周报"}}


async def test_wrong_robot_secret_is_a_permanent_refusal(fake: FakeDingtalk, api: DingtalkApi) -> None:
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False)
    result = await sender.send(team(fake, "SECwrong"), Reply(Text("x")))
    assert isinstance(result, Rejected)
    assert "310000" in result.error


async def test_team_by_open_conversation_id_uses_the_group_api(fake: FakeDingtalk, api: DingtalkApi) -> None:
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False)
    target = {"kind": "team", "name": "sales", "address": {"open_conversation_id": "cidTeam"}}
    assert isinstance(await sender.send(target, Reply(Text("x"))), Delivered)
    assert fake.sent("/v1.0/robot/groupMessages/send")[0].body["openConversationId"] == "cidTeam"


async def test_burst_to_a_group_robot_is_queued_not_dropped(fake: FakeDingtalk, api: DingtalkApi) -> None:
    ticker = Ticker()
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False, window=SendWindow(now=ticker))
    replies = [Reply(Text(f"第{i}条")) for i in range(45)]
    first = [await sender.send(team(fake, fake.robot_secret), r) for r in replies]
    assert sum(isinstance(r, Delivered) for r in first) == 20
    waits = [r.after.total_seconds() for r in first if isinstance(r, RetryLater) and r.after]
    assert waits == sorted(waits)
    assert len(waits) == 25
    assert max(waits) <= 120
    ticker.t += 60
    second = [await sender.send(team(fake, fake.robot_secret), r) for r in replies[20:]]
    assert sum(isinstance(r, Delivered) for r in second) == 20  # the reserved slots, in order
    ticker.t += 60
    third = [await sender.send(team(fake, fake.robot_secret), r) for r in replies[40:]]
    assert all(isinstance(r, Delivered) for r in third)
    assert len(fake.sent("/robot/send")) == 45


async def test_platform_throttle_answer_waits_ten_minutes(fake: FakeDingtalk, api: DingtalkApi) -> None:
    fake.fail("/robot/send", "throttled")
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False)
    result = await sender.send(team(fake, fake.robot_secret), Reply(Text("x")))
    assert isinstance(result, RetryLater)
    assert result.after is not None
    assert result.after.total_seconds() == 600


async def test_rejected_interactive_card_still_arrives_as_markdown(fake: FakeDingtalk, api: DingtalkApi) -> None:
    from bot.core.replies import ActionRef, Button, Card

    fake.fail("/v1.0/im/v1.0/robot/interactiveCards/send", "reject")
    sender = DingtalkSender(api, "dingkey", lambda: NOW, http_mode=False)
    card = Card("华为", "华为", buttons=(Button("推进", ActionRef("deal.move", {"id": "1"})),))
    target = {"kind": "user", "login": "li", "platform_user_id": "staff-li"}
    assert isinstance(await sender.send(target, Reply(card)), Delivered)
    [call] = fake.sent("/v1.0/robot/oToMessages/batchSend")
    assert call.body["msgKey"] == "sampleMarkdown"
