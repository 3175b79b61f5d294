"""`dealbot import customers|deals` (CSV with and without BOM, Chinese headers, xlsx; dry run and real)
and `dealbot customers find --json/--jsonl`, run through the CLI entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.unit.customers.bookdb import DATA

CUSTOMERS_CSV = DATA / "import_customers.csv"
EXPECTED = {"new": 4, "same": 2, "possible": 1, "collision": 0, "invalid": 0}


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("DEALBOT_DATABASE__URL", database_url)
    monkeypatch.setenv("DEALBOT_SECURITY__SECRET_KEY", "test-secret")
    monkeypatch.chdir(Path(__file__).parent)  # no dealbot.toml here

    def run(*argv: str, stdin: str | None = None) -> str:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        assert main(list(argv)) == 0
        return capsys.readouterr().out

    for login in ("li", "zhang"):
        run("users", "add", login, "--name", login.title(), "--role", "rep", "--team", "sales")
    return run


def report(cli: Any, *argv: str) -> dict[str, Any]:
    return dict(json.loads(cli("import", *argv, "--json")))


def xlsx_copy(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in CUSTOMERS_CSV.read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "customers.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("name", ["import_customers.csv", "import_customers_zh_bom.csv"])
def test_dry_run_reports_and_writes_nothing(cli: Any, name: str) -> None:
    dry = report(cli, "customers", str(DATA / name), "--dry-run")
    assert dry["counts"] == EXPECTED
    assert report(cli, "customers", str(DATA / name), "--dry-run")["counts"] == EXPECTED


def test_dry_run_text_names_existing_customer_and_owner(cli: Any) -> None:
    text = cli("import", "customers", str(CUSTOMERS_CSV), "--dry-run")
    assert "row 3: 深圳华为 = #1 华为技术有限公司 (owner li)" in text
    assert "owner kept: li (file says zhang)" in text
    assert "POSSIBLE (1)" in text
    assert "格力地产股份有限公司" in text


def test_real_import_creates_merges_and_is_idempotent(cli: Any) -> None:
    assert report(cli, "customers", str(CUSTOMERS_CSV))["counts"] == EXPECTED
    again = report(cli, "customers", str(DATA / "import_customers_zh_bom.csv"))["counts"]
    assert again == {**EXPECTED, "new": 0, "same": 6}
    found = json.loads(cli("customers", "find", "深圳华为", "--json"))
    assert (found["kind"], found["matches"][0]["owner"]) == ("same", "li")


def test_xlsx_import(cli: Any, tmp_path: Path) -> None:
    assert report(cli, "customers", str(xlsx_copy(tmp_path)))["counts"] == EXPECTED


def test_merged_row_adds_contacts_and_aliases(cli: Any) -> None:
    cli("import", "customers", str(CUSTOMERS_CSV))
    by_phone = json.loads(cli("customers", "find", "+86 755 2878 0808", "--json"))
    by_alias = json.loads(cli("customers", "find", "深圳华为", "--json"))
    assert by_phone["matches"][0]["id"] == by_alias["matches"][0]["id"] == 1


def test_deals_import(cli: Any) -> None:
    cli("import", "customers", str(CUSTOMERS_CSV))
    rows = report(cli, "deals", str(DATA / "import_deals.csv"))
    assert rows["counts"] == {"new": 1, "same": 2, "possible": 1, "collision": 1, "invalid": 2}
    collision = next(r for r in rows["rows"] if r["status"] == "collision")
    assert (collision["name"], collision["owner"]) == ("深圳华为", "li")


def test_find_jsonl_answers_every_line_in_order(cli: Any) -> None:
    cli("import", "customers", str(CUSTOMERS_CSV))
    queries = ["华为", "字节挑动", "华威", "格力", "not json", "li@huawei.com", "银行"]
    lines = "\n".join(json.dumps({"query": q}) if q != "not json" else q for q in queries) + "\n"
    out = [json.loads(line) for line in cli("customers", "find", "--jsonl", stdin=lines).splitlines()]
    assert [o.get("query") for o in out] == [q if q != "not json" else None for q in queries]
    kinds = [o.get("kind") for o in out]
    assert kinds == ["same", "same", "none", "ambiguous", None, "same", "ambiguous"]
    assert set(out[0]["matches"][0]) == {"id", "name", "owner", "match", "score"}
