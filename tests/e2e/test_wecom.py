"""End to end on WeCom: encrypted callbacks into the running server, answers through the fake WeCom API —
a follow-up by text, a stage moved by a card click (card updated in place), help on entering the app, and
failures, timeouts and 45009 retried with nothing lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import Deal, FollowUp, OutboxMessage
from tests.harness.fake_wecom import Rig, callback_xml, wecom_rig

SEND = "/cgi-bin/message/send"
UPDATE = "/cgi-bin/message/update_template_card"


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[Rig]:
    async with wecom_rig(database_url) as rig:
        await rig.add_user("li", "lisi")
        yield rig


def move_key(message: dict[str, object]) -> str:
    card = message["template_card"]
    assert isinstance(card, dict)
    return next(str(b["key"]) for b in card["button_list"] if "deal.move" in b["key"])


async def test_encrypted_text_logs_a_followup_and_the_reply_goes_through_message_send(rig: Rig) -> None:
    assert await rig.says("lisi", "新建 华为") == 200
    await rig.settle()
    assert await rig.says("lisi", "跟进 华为 电话沟通了报价 下次 周五下午3点") == 200
    await rig.settle(count=2)
    async with rig.server.app.uow_factory() as uow:
        [followup] = list(await uow.session.scalars(select(FollowUp).where(FollowUp.status == "open")))
    assert followup is not None
    reply = rig.fake.sent()[1]
    assert (reply["touser"], reply["agentid"], reply["msgtype"]) == ("lisi", 1000002, "template_card")
    assert "电话沟通了报价" in str(reply["template_card"])


async def test_card_click_moves_the_stage_and_updates_the_card_in_place(rig: Rig) -> None:
    await rig.says("lisi", "新建 华为")
    await rig.settle()
    [card] = rig.fake.sent()
    code = rig.fake.issue_code()  # the ResponseCode WeCom puts in the click callback
    assert await rig.clicks("lisi", move_key(card), code) == 200
    await rig.settle(UPDATE)
    [update] = rig.fake.sent(UPDATE)
    assert (update["response_code"], update["userids"]) == (code, ["lisi"])
    async with rig.server.app.uow_factory() as uow:
        deal = await uow.session.scalar(select(Deal))
    assert deal is not None
    assert deal.stage in move_key(card)
    assert len(rig.fake.sent()) == 1  # updated in place, not sent again


async def test_entering_the_app_answers_with_help(rig: Rig) -> None:
    xml = callback_xml("lisi", event="enter_agent", created=int(rig.clock().timestamp()), EventKey="")
    assert await rig.post(xml) == 200
    await rig.settle()
    assert "新建" in str(rig.fake.sent()[0])


@pytest.mark.parametrize("faults", [("500", "500"), ("hang",), ("45009", "45009"), ("42001",)])
async def test_failing_platform_is_retried_and_nothing_is_lost(rig: Rig, faults: tuple[str, ...]) -> None:
    rig.fake.fail(SEND, *faults)
    await rig.says("lisi", "新建 华为")
    for _ in range(10):
        if await rig.reached(within=1.0):
            break
        rig.advance(timedelta(seconds=61))  # past any backoff and WeCom's one-minute limit window
    assert await rig.outbox_settled() == ["delivered"]
    assert len(rig.fake.sent()) == 1
    async with rig.server.app.uow_factory() as uow:
        [row] = list(await uow.session.scalars(select(OutboxMessage)))
    assert row.attempts == len(faults) + 1 - faults.count("42001")
