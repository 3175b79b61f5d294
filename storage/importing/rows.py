"""Reads an import file (CSV in UTF-8 with or without BOM, or .xlsx) into rows keyed by canonical column
names; English and Chinese headers are accepted. openpyxl loads only for .xlsx files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

CUSTOMER_COLUMNS = {
    "name": ("name", "customer", "客户名称", "客户", "名称", "公司"),
    "aliases": ("aliases", "alias", "别名", "简称"),
    "phone": ("phone", "tel", "电话", "手机"),
    "email": ("email", "e-mail", "邮箱", "电子邮件"),
    "city": ("city", "城市"),
    "owner": ("owner", "负责人", "销售"),
    "contact": ("contact", "联系人"),
}
DEAL_COLUMNS = {
    **CUSTOMER_COLUMNS,
    "name": ("customer", "name", "客户", "客户名称"),
    "stage": ("stage", "阶段"),
    "amount": ("amount", "金额"),
    "currency": ("currency", "币种"),
    "next_followup": ("next_followup", "next", "下次跟进", "下次跟进时间"),
    "note": ("note", "备注"),
}


class ImportFileError(ValueError):
    """The file cannot be read as an import (format, encoding or header)."""


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # the line in the file (header = 1), for the report
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


def _canonical(header: list[str], columns: dict[str, tuple[str, ...]]) -> list[str | None]:
    names = {alias.casefold(): column for column, aliases in columns.items() for alias in aliases}
    return [names.get(h.strip().lstrip("\ufeff").casefold()) for h in header]


def _table(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # lazy: only xlsx imports pay for it

        sheet = load_workbook(path, read_only=True, data_only=True).active
        if sheet is None:
            raise ImportFileError(f"{path}: no worksheet")
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return list(csv.reader(io.StringIO(text)))


def read_rows(path: str | Path, columns: dict[str, tuple[str, ...]]) -> list[Row]:
    table = [row for row in _table(Path(path)) if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError(f"{path}: empty file")
    header = _canonical(table[0], columns)
    if "name" not in header:
        wanted = " / ".join(columns["name"][:4])
        raise ImportFileError(f"{path}: the header row needs a customer name column ({wanted})")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {column: cell for column, cell in zip(header, cells, strict=False) if column and cell}
        rows.append(Row(number, values))
    return rows
