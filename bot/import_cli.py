"""`dealbot import customers|deals FILE [--dry-run] [--json]`: one transaction per import; a dry run is
the very same import rolled back, so its report is exactly what the real run would do."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from config import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands import with_services
    from storage.importing.rows import CUSTOMER_COLUMNS, DEAL_COLUMNS, ImportFileError, read_rows

    try:
        rows = read_rows(args.file, CUSTOMER_COLUMNS if args.what == "customers" else DEAL_COLUMNS)
    except (ImportFileError, OSError) as exc:
        print(f"dealbot import: {exc}", file=sys.stderr)
        return 2

    async def work(services: Any) -> Any:
        if args.what == "customers":
            from storage.importing.customers import CustomerImport

            return await CustomerImport(services.ctx, args.team).run(rows, dry_run=args.dry_run)
        from storage.importing.deals import DealImport

        return await DealImport(services.ctx).run(rows, dry_run=args.dry_run)

    report = with_services(settings, work, commit=not args.dry_run)
    print(json.dumps(report.as_json(), ensure_ascii=False) if args.json else report.text())
    return 0
