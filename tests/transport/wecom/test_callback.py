"""WeCom callbacks over real HTTP against the running app: the official vectors pass; forged, tampered,
replayed and wrong-corp requests are refused before any handler; a retry storm changes the data once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.wecom.crypto import WecomCrypto, signature
from storage.models import Deal, InboxEvent
from tests.harness.fake_wecom import AES_KEY, CORP, TOKEN, Rig, callback_xml, echostr_query, wecom_rig

ECHO = "fsi1xnbH4yQh0%2BPJxcOdhhK6TDXkjMyhEPA7xB2TGz6b%2Bg7xyAbEkRxN%2F3cNXW9qdqjnoVzEtpbhnFyq6SVHyA%3D%3D"
VERIFY = f"msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb&timestamp=1476416373&nonce=47744683&echostr={ECHO}"
# The official DecryptMsg sample (sbzhu/weworkapi_python callback/Sample.py), byte for byte.
SAMPLE_QUERY = "msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914"
SAMPLE_BODY = (
    "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCka"
    "Onwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8Sq"
    "Gc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6"
    "EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/ox"
    "waWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>")


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[Rig]:
    async with wecom_rig(database_url) as rig:
        yield rig


async def get(rig: Rig, query: str) -> tuple[int, bytes]:
    async with rig.http.get(f"{rig.url}?{query}") as resp:
        return resp.status, await resp.read()


async def test_official_url_verification_answers_the_bare_plaintext(rig: Rig) -> None:
    rig.clock.set(datetime.fromtimestamp(1476416373, UTC))
    assert await get(rig, VERIFY) == (200, b"1288432023552776189")


async def test_echostr_with_a_raw_plus_still_verifies(rig: Rig) -> None:
    rig.clock.set(datetime.fromtimestamp(1476416373, UTC))
    raw = VERIFY.replace("%2B", "+").replace("%2F", "/")
    assert await get(rig, raw) == (200, b"1288432023552776189")


async def test_url_verification_with_a_bad_signature_is_401(rig: Rig) -> None:
    status, body = await get(rig, echostr_query(WecomCrypto("other-token", AES_KEY, CORP), "123", 1764208800))
    assert (status, body) == (401, b"")


async def test_official_encrypted_message_is_recorded_and_acknowledged_empty(rig: Rig) -> None:
    rig.clock.set(datetime.fromtimestamp(1476422779, UTC))
    async with rig.http.post(f"{rig.url}?{SAMPLE_QUERY}", data=SAMPLE_BODY.encode()) as resp:
        assert (resp.status, await resp.text()) == (200, "")
    assert await rig.count(InboxEvent) == 1
    await rig.settle()  # an unknown sender is told how to get linked, through message/send
    assert rig.fake.sent()[0]["touser"] == "ChenJiaShun"


@pytest.mark.parametrize(("crypto", "status"), [
    (WecomCrypto("forged-token", AES_KEY, CORP), 401),  # signed without our token
    (WecomCrypto(TOKEN, AES_KEY, "ww-another-corp"), 403),  # receiveid is not our corp id
])
async def test_forged_and_wrong_corp_callbacks_are_refused_before_any_handler(
        rig: Rig, crypto: WecomCrypto, status: int) -> None:
    assert await rig.post(callback_xml("li", text="新建 华为"), crypto=crypto) == status
    assert await rig.count(InboxEvent) == 0


async def test_tampered_body_is_401(rig: Rig) -> None:
    assert await rig.post(callback_xml("li", text="新建 华为"), tamper=True) == 401
    assert await rig.count(InboxEvent) == 0


async def test_replayed_callback_with_a_stale_timestamp_is_401(rig: Rig) -> None:
    stale = int((rig.clock() - timedelta(hours=1)).timestamp())
    assert await rig.post(callback_xml("li", text="新建 华为"), timestamp=stale) == 401
    assert await rig.count(InboxEvent) == 0


async def test_undecryptable_body_with_a_valid_signature_is_403(rig: Rig) -> None:
    ts = str(int(rig.clock().timestamp()))
    query = f"msg_signature={signature(TOKEN, ts, 'n', 'QUJD')}&timestamp={ts}&nonce=n"
    async with rig.http.post(f"{rig.url}?{query}", data=b"<xml><Encrypt><![CDATA[QUJD]]></Encrypt></xml>") as resp:
        assert resp.status == 403
    assert await rig.count(InboxEvent) == 0


@pytest.mark.parametrize(("query", "body"), [("", "<xml><Encrypt>x</Encrypt></xml>"), ("timestamp=1", "not xml")])
async def test_unsigned_or_malformed_requests_are_401(rig: Rig, query: str, body: str) -> None:
    async with rig.http.post(f"{rig.url}?{query}", data=body.encode()) as resp:
        assert resp.status == 401
    assert await rig.count(InboxEvent) == 0


async def test_retry_storm_changes_the_data_once(rig: Rig) -> None:
    await rig.add_user("li", "lisi")
    xml = callback_xml("lisi", text="新建 华为", msg_id="storm-1", created=1)
    statuses = [await rig.post(xml) for _ in range(25)]
    statuses += await asyncio.gather(*(rig.post(xml) for _ in range(25)))
    assert statuses == [200] * 50
    await rig.settle()
    assert await rig.count(Deal) == 1
    assert await rig.count(InboxEvent) == 1
    assert len(rig.fake.sent()) == 1
