"""`dealbot tick` and `dealbot outbox`: the admin's preview, and managing what waits, failed or died."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness.world import World

MONDAY_10 = "2026-11-30T10:00:00+08:00"


@pytest.fixture
def cli_db(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DEALBOT_DATABASE__URL", database_url)
    monkeypatch.setenv("DEALBOT_SECURITY__SECRET_KEY", "test-secret")
    monkeypatch.chdir(tmp_path)  # no stray dealbot.toml

    async def fill() -> None:
        world = World(database_url)
        try:
            await world.add_user("li")
            await world.says("li", "新建 华为 50万 下周一上午10点")
        finally:
            await world.close()

    asyncio.run(fill())
    return database_url


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_tick_dry_run_json_shows_who_why_and_the_text(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tick", "--now", MONDAY_10, "--dry-run", "--json"]) == 0
    [nudge] = [p for p in lines(capsys) if p["kind"] == "nudge"]
    assert (nudge["recipient"], nudge["deal_id"], nudge["dedupe_key"]) == ("li", 1, "nudge:1:2026-11-30")
    assert "华为" in str(nudge["text"])
    assert nudge["why"]


def test_a_dry_run_leaves_the_outbox_as_it_was(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["tick", "--now", MONDAY_10, "--dry-run", "--json"])
    main(["tick", "--now", MONDAY_10, "--dry-run", "--json"])
    assert len([p for p in lines(capsys) if p["kind"] == "nudge"]) == 2  # the same preview twice


def test_tick_enqueues_once_and_outbox_list_shows_it(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["tick", "--now", MONDAY_10])
    main(["tick", "--now", MONDAY_10, "--json"])
    capsys.readouterr()
    assert main(["outbox", "list", "--json"]) == 0
    [row] = [r for r in lines(capsys) if r["kind"] == "nudge"]
    assert (row["status"], row["attempts"], row["recipient"], row["deal_id"]) == ("pending", 0, "li", 1)


def test_outbox_list_all_includes_delivered(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["outbox", "list", "--json"])
    pending = lines(capsys)
    main(["outbox", "list", "--all", "--json"])
    assert {r["status"] for r in lines(capsys)} == {"delivered"}
    assert pending == []


def test_purge_removes_delivered_rows(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "purge", "--delivered-before", "2100-01-01T00:00:00+00:00"]) == 0
    assert "1 delivered row(s)" in capsys.readouterr().out
    main(["outbox", "list", "--all", "--json"])
    assert lines(capsys) == []


def test_retry_needs_ids_or_dead(cli_db: str) -> None:
    assert main(["outbox", "retry"]) == 2
    assert main(["outbox", "retry", "--dead"]) == 0
