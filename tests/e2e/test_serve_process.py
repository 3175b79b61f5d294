"""The real `dealbot serve` from the command line, in its default two processes: a signed slash command is
acknowledged, handled by the forked processing process and answered on the fake Slack; /metrics counts
both processes; SIGTERM stops both cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.harness.fake_slack import SECRET, TOKEN, FakeSlack, command_body, sign
from tests.harness.world import World

pytestmark = pytest.mark.asyncio


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fake(fake_slack: FakeSlack) -> FakeSlack:
    return fake_slack


async def start_serve(database_url: str, fake: FakeSlack, port: int, cwd: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "DEALBOT_DATABASE__URL": database_url, "DEALBOT_SECURITY__SECRET_KEY": "test-secret",
           "DEALBOT_SLACK__ENABLED": "true", "DEALBOT_SLACK__SIGNING_SECRET": SECRET,
           "DEALBOT_SLACK__BOT_TOKEN": TOKEN, "DEALBOT_SLACK__API_URL": fake.api_url,
           "DEALBOT_REMINDERS__ENABLED": "false"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "serve", "--port", str(port),
                                                cwd=cwd, env={**env, "PYTHONPATH": str(Path.cwd())},
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def wait_until_up(http: aiohttp.ClientSession, base: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            async with http.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("dealbot serve did not come up")


async def link_li(database_url: str) -> None:
    world = World(database_url)
    try:
        await world.add_user("li")
        uow, services = await world.services()
        await services.users.link("li", "slack", "U1")
        await uow.commit()
        await uow.__aexit__(None, None, None)
    finally:
        await world.close()


async def test_serve_in_two_processes_answers_counts_and_stops(database_url: str, fake: FakeSlack,
                                                               tmp_path: Path) -> None:
    await link_li(database_url)
    port = free_port()
    process = await start_serve(database_url, fake, port, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, base)
            body = command_body("new 华为 50万")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, int(time.time()))}
            async with http.post(f"{base}/slack/events", data=body.encode(), headers=headers) as response:
                assert response.status == 200
            for _ in range(300):
                if fake.of("chat.postMessage"):
                    break
                await asyncio.sleep(0.05)
            assert "华为" in fake.of("chat.postMessage")[0]["text"]
            await asyncio.sleep(0.2)  # the delivered row is counted right after the send returns
            async with http.get(f"{base}/metrics") as response:
                exposition = await response.text()
        assert 'dealbot_requests_total{outcome="ok",platform="slack"} 1.0' in exposition  # counted by the front
        assert 'dealbot_deliveries_total{outcome="delivered",platform="slack"} 1.0' in exposition  # by the other
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, output.decode()
    assert b"events handled by process" in output


async def test_serve_stops_with_an_error_when_its_processing_process_dies(database_url: str, fake: FakeSlack,
                                                                          tmp_path: Path) -> None:
    process = await start_serve(database_url, fake, free_port(), tmp_path)
    assert process.stdout is not None
    banner = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    child = int(banner.split("events handled by process ")[1].rstrip(")\n"))
    os.kill(child, signal.SIGKILL)
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1, output.decode()
    assert b"the processing process stopped" in output
