"""Signed requests over real HTTP against the running app: the official Slack vector passes; forged,
tampered, unsigned and replayed requests get 401 and never reach the inbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from storage.models import InboxEvent
from tests.harness.fake_slack import SlackRig, command_body, sign

pytestmark = pytest.mark.asyncio

# https://docs.slack.dev/authentication/verifying-requests-from-slack — the documented example.
DOC_TS = 1531420618
DOC_BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[SlackRig]:
    async with SlackRig(database_url, now=datetime.fromtimestamp(DOC_TS, UTC)) as rig:
        yield rig


async def raw_post(rig: SlackRig, body: str, headers: dict[str, str]) -> int:
    assert rig.client is not None
    response = await rig.client.post("/slack/events", data=body.encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded", **headers})
    return response.status


async def test_official_doc_vector_is_accepted(rig: SlackRig) -> None:
    headers = {"X-Slack-Request-Timestamp": str(DOC_TS), "X-Slack-Signature": DOC_SIGNATURE}
    assert await raw_post(rig, DOC_BODY, headers) == 200
    assert await rig.count(InboxEvent) == 1


@pytest.mark.parametrize("headers", [
    {"X-Slack-Request-Timestamp": str(DOC_TS), "X-Slack-Signature": DOC_SIGNATURE.replace("a2", "a3", 1)},
    {"X-Slack-Request-Timestamp": str(DOC_TS)},
    {"X-Slack-Signature": DOC_SIGNATURE},
    {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": DOC_SIGNATURE},
    {},
], ids=["forged", "no-signature", "no-timestamp", "bad-timestamp", "unsigned"])
async def test_bad_signatures_are_refused(rig: SlackRig, headers: dict[str, str]) -> None:
    assert await raw_post(rig, DOC_BODY, headers) == 401
    assert await rig.count(InboxEvent) == 0


async def test_tampered_body_is_refused(rig: SlackRig) -> None:
    headers = {"X-Slack-Request-Timestamp": str(DOC_TS), "X-Slack-Signature": DOC_SIGNATURE}
    assert await raw_post(rig, DOC_BODY.replace("text=", "text=new+x"), headers) == 401
    assert await rig.count(InboxEvent) == 0


async def test_other_signing_secret_is_refused(rig: SlackRig) -> None:
    response = await rig.post(command_body("help"), secret="not-our-secret")
    assert response.status == 401


@pytest.mark.parametrize(("skew", "status"), [(-301, 401), (-300, 200), (300, 200), (301, 401)])
async def test_timestamp_window_is_five_minutes(rig: SlackRig, skew: int, status: int) -> None:
    response = await rig.post(command_body("help", trigger=f"t{skew}"), ts=DOC_TS + skew)
    assert response.status == status
    assert await rig.count(InboxEvent) == (1 if status == 200 else 0)


async def test_url_verification_answers_the_challenge(rig: SlackRig) -> None:
    body = '{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}'
    response = await rig.post(body, form=False)
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in await response.text()


async def test_replayed_request_with_a_fresh_timestamp_but_old_signature_is_refused(rig: SlackRig) -> None:
    old = sign(command_body("help"), DOC_TS - 600)
    headers = {**old, "X-Slack-Request-Timestamp": str(DOC_TS)}
    assert await raw_post(rig, command_body("help"), headers) == 401


async def test_registry_builds_the_slack_adapter_from_config(rig: SlackRig) -> None:
    from bot.adapters.registry import enabled_adapters
    from bot.adapters.slack import SlackAdapter

    [adapter] = enabled_adapters(rig.settings, rig.clock)
    assert isinstance(adapter, SlackAdapter)
    assert adapter.capabilities.update_in_place
