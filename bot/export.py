"""`dealbot export deals|customers|activities --format csv|json|xlsx [--out FILE]`: rows from the
export service, streamed to CSV (UTF-8 with BOM, for Excel), a JSON array, or an XLSX workbook.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from config import Settings

Row = dict[str, str | int | None]
_EXACT_DIGITS = 15  # an Excel number (a double) holds this many significant digits exactly


@contextmanager
def _target(out: str | None, encoding: str) -> Iterator[IO[str]]:
    """Standard output, or FILE written beside itself and renamed at the end, so a failed export leaves no half file."""
    if out is None:
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()  # leave sys.stdout open
        return
    part = Path(f"{out}.part")
    try:
        with part.open("w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


async def write_csv(out: str | None, columns: list[str], rows: AsyncIterator[Row]) -> int:
    count = 0
    with _target(out, "utf-8-sig") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        async for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
            count += 1
    return count


async def write_json(out: str | None, columns: list[str], rows: AsyncIterator[Row]) -> int:
    """One JSON array, written an object at a time."""
    count = 0
    with _target(out, "utf-8") as stream:
        stream.write("[")
        async for row in rows:
            stream.write(",\n" if count else "\n")
            stream.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False))
            count += 1
        stream.write("\n]\n" if count else "]\n")
    return count


def _xlsx_value(column: str, value: str | int | None, sheet: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if column == "amount" and value is not None:
        amount = Decimal(str(value))
        if len(amount.as_tuple().digits) <= _EXACT_DIGITS:  # else keep the exact text
            cell = WriteOnlyCell(sheet, value=amount)
            cell.number_format = "#,##0.00"
            return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a note typed as "=..." is text, never a formula
        return cell
    return value


async def write_xlsx(out: str, what: str, columns: list[str], rows: AsyncIterator[Row]) -> int:
    """Write-only workbook: rows go to a temporary file as they come, not into memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(what)
    sheet.append(columns)
    count = 0
    async for row in rows:
        sheet.append([_xlsx_value(c, row[c], sheet) for c in columns])
        count += 1
    _save(workbook, out)
    return count


def _save(workbook: Any, out: str) -> None:
    part = Path(f"{out}.part")
    try:
        workbook.save(part)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


def export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands import with_services
    from storage.crypto import DecryptionError

    fmt, what, out = args.format, args.what, args.out
    if fmt == "xlsx" and not out:
        print(f"dealbot export: an XLSX workbook cannot go to the terminal; add --out FILE, "
              f"e.g. --out {what}.xlsx", file=sys.stderr)
        return 2

    async def work(services: Any) -> int:
        columns, rows = await services.exports.rows(what)
        if fmt == "xlsx":
            return await write_xlsx(out, what, columns, rows)
        return await (write_csv if fmt == "csv" else write_json)(out, columns, rows)

    try:
        count = with_services(settings, work, commit=False)
    except DecryptionError:
        print("dealbot export: contact data cannot be decrypted with the configured secret "
              "(security.secret_key or security.secret_file)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"dealbot export: cannot write {out or 'standard output'}: {exc}", file=sys.stderr)
        return 1
    if out:
        print(f"exported {count} {what} to {out}", file=sys.stderr)
    return 0
