"""Socket Mode against the fake Slack's WebSocket: no public URL, the same bolt listeners, acks by
envelope_id, the reply still goes out through chat.postMessage."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.models import Deal
from tests.harness.fake_slack import SlackRig

pytestmark = pytest.mark.asyncio

COMMAND = {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
           "payload": {"team_id": "T1", "channel_id": "C1", "channel_name": "sales", "user_id": "U1",
                       "user_name": "li", "command": "/deal", "text": "new 华为 50万", "trigger_id": "trig-sm-1"}}


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SlackRig]:
    async with SlackRig(database_url, socket_mode=True) as rig:
        await rig.link("li", "U1")
        yield rig


async def test_socket_mode_command_is_acked_and_answered(rig: SlackRig) -> None:
    ack = await rig.fake.push(COMMAND)
    assert ack == {"envelope_id": "env-1"}
    [posted] = await rig.wait_for("chat.postMessage")
    assert "华为" in posted["text"]
    assert await rig.count(Deal) == 1


async def test_socket_mode_serves_no_http_route(rig: SlackRig) -> None:
    response = await rig.post("{}", form=False)
    assert response.status in (404, 405)
