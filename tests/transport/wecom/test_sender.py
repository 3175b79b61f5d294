"""The WeCom sender against the fake WeCom API over HTTP: token cache and refresh, errcode mapping, the
per-member and robot limits (queued, never dropped), and update_template_card with its single-use code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestServer

from bot.adapters.base import Delivered, Rejected, RetryLater
from bot.adapters.wecom.api import WecomApi
from bot.adapters.wecom.sender import WecomSender
from bot.core.clock import FrozenClock
from bot.core.replies import ActionRef, Button, Card, Reply, ReplyMode, Text
from tests.harness.fake_wecom import CORP, NOW, SECRET, FakeWecom

SEND = "/cgi-bin/message/send"
UPDATE = "/cgi-bin/message/update_template_card"
TO_LI = {"kind": "user", "login": "li", "platform_user_id": "lisi"}
CARD = Card("华为", "华为", buttons=(Button("推进", ActionRef("deal.move", {"id": "1"})),))


@dataclass
class Env:
    fake: FakeWecom
    sender: WecomSender
    clock: FrozenClock


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    fake = FakeWecom()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    clock = FrozenClock(NOW)
    api = WecomApi(str(server.make_url("")), CORP, SECRET, timeout=0.5)
    yield Env(fake, WecomSender(api, 1000002, clock), clock)
    await api.close()
    await server.close()


def click(code: str, issued_hours_ago: float = 1) -> dict[str, object]:
    issued = (NOW - timedelta(hours=issued_hours_ago)).isoformat()
    return {"kind": "conversation", "user": "lisi", "source_message_id": code,
            "reply_handle": {"response_code": code, "task_id": "task-1", "issued_at": issued}}


async def test_token_is_fetched_once_and_cached(env: Env) -> None:
    for n in range(3):
        assert isinstance(await env.sender.send(TO_LI, Reply(Text(f"第{n}条"))), Delivered)
    assert env.fake.gettoken_calls == 1
    assert [m["touser"] for m in env.fake.sent()] == ["lisi"] * 3


async def test_expired_token_is_refreshed_and_the_call_retried_once(env: Env) -> None:
    await env.sender.send(TO_LI, Reply(Text("一")))
    env.fake.tokens.clear()  # WeCom now answers 40014 to the cached token
    assert isinstance(await env.sender.send(TO_LI, Reply(Text("二"))), Delivered)
    assert env.fake.gettoken_calls == 2


@pytest.mark.parametrize(("fault", "after"), [("45009", timedelta(seconds=60)), ("500", None), ("hang", None),
                                              ("-1", None)])
async def test_transient_failures_retry_later_and_then_deliver(env: Env, fault: str, after: timedelta | None) -> None:
    env.fake.fail(SEND, fault)
    result = await env.sender.send(TO_LI, Reply(Text("报价")))
    assert isinstance(result, RetryLater)
    assert result.after == after
    assert isinstance(await env.sender.send(TO_LI, Reply(Text("报价"))), Delivered)
    assert len(env.fake.sent()) == 1


async def test_unknown_member_is_rejected(env: Env) -> None:
    result = await env.sender.send({**TO_LI, "platform_user_id": "nobody"}, Reply(Text("x")))
    assert isinstance(result, Rejected)


async def test_team_groups_go_to_appchat_or_the_robot(env: Env) -> None:
    await env.sender.send({"kind": "team", "name": "sales", "address": {"chatid": "chat-1"}}, Reply(CARD))
    await env.sender.send({"kind": "team", "name": "sales", "address": {"webhook_key": "robot-key"}}, Reply(CARD))
    [chat] = env.fake.sent("/cgi-bin/appchat/send")
    [robot] = env.fake.sent("/cgi-bin/webhook/send")
    assert (chat["chatid"], chat["msgtype"], robot["msgtype"]) == ("chat-1", "markdown", "markdown")
    bad = {"kind": "team", "name": "sales", "address": {"webhook_key": "revoked"}}
    assert isinstance(await env.sender.send(bad, Reply(Text("x"))), Rejected)


async def test_member_limit_queues_the_31st_message_and_delivers_it_later(env: Env) -> None:
    for n in range(30):
        assert isinstance(await env.sender.send(TO_LI, Reply(Text(f"{n}"))), Delivered)
    held = await env.sender.send(TO_LI, Reply(Text("30")))
    assert isinstance(held, RetryLater)
    assert held.after == timedelta(minutes=1)
    assert len(env.fake.sent()) == 30
    env.clock.advance(held.after)
    assert isinstance(await env.sender.send(TO_LI, Reply(Text("30"))), Delivered)
    assert len(env.fake.sent()) == 31


async def test_robot_limit_is_twenty_a_minute(env: Env) -> None:
    robot = {"kind": "team", "name": "sales", "address": {"webhook_key": "robot-key"}}
    results = [await env.sender.send(robot, Reply(Text(f"{n}"))) for n in range(21)]
    assert [type(r) for r in results] == [Delivered] * 20 + [RetryLater]


async def test_click_reply_updates_the_card_in_place(env: Env) -> None:
    code = env.fake.issue_code()
    assert isinstance(await env.sender.send(click(code), Reply(CARD, ReplyMode.UPDATE_SOURCE)), Delivered)
    [update] = env.fake.sent(UPDATE)
    assert (update["response_code"], update["userids"], update["agentid"]) == (code, ["lisi"], 1000002)
    assert update["template_card"]["card_type"] == "button_interaction"
    assert env.fake.sent() == []


async def test_spent_response_code_sends_a_new_card(env: Env) -> None:
    code = env.fake.issue_code()
    await env.sender.send(click(code), Reply(CARD, ReplyMode.UPDATE_SOURCE))
    await env.sender.send(click(code), Reply(Card("又一张", "又一张", buttons=CARD.buttons), ReplyMode.UPDATE_SOURCE))
    assert len(env.fake.sent(UPDATE)) == 1
    assert env.fake.sent()[0]["msgtype"] == "template_card"


async def test_code_past_its_72_hours_is_not_used(env: Env) -> None:
    code = env.fake.issue_code()
    await env.sender.send(click(code, issued_hours_ago=73), Reply(CARD, ReplyMode.UPDATE_SOURCE))
    assert env.fake.sent(UPDATE) == []
    assert len(env.fake.sent()) == 1


async def test_long_reply_resumes_after_a_failure_without_repeating_parts(env: Env) -> None:
    text = "\n".join(f"第{i}行：华为技术有限公司跟进记录" for i in range(200))
    env.fake.fail(SEND, "", "500")  # the first part goes, the second fails
    assert isinstance(await env.sender.send(TO_LI, Reply(Text(text))), RetryLater)
    assert isinstance(await env.sender.send(TO_LI, Reply(Text(text))), Delivered)
    assert "\n".join(m["text"]["content"] for m in env.fake.sent()) == text
