"""`dealbot outbox list|retry|purge`: what is pending, retried or dead (and delivered), and managing it."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime, timedelta
from typing import Any, TextIO

from config import Settings


def entry_json(entry: Any) -> dict[str, Any]:
    payload = entry.payload or {}
    body = payload.get("body", {})
    data = payload.get("data", {})
    target = entry.target or {}
    return {
        "id": entry.id, "kind": data.get("push", entry.kind), "status": entry.status, "attempts": entry.attempts,
        "recipient": target.get("name") or target.get("user") or target.get("channel"),
        "recipient_kind": target.get("kind"), "platform": entry.platform,
        "deal_id": data.get("deal_id") or (data.get("deal_ids") or [None])[0],
        "dedupe_key": entry.dedupe_key,
        "text": body.get("text") if body.get("type") == "text" else body.get("fallback_text"),
        "not_before": entry.not_before.isoformat(), "created_at": entry.created_at.isoformat(),
        "delivered_at": entry.delivered_at.isoformat() if entry.delivered_at else None,
        "last_error": entry.last_error,
    }


def _line(row: dict[str, Any]) -> str:
    text = (row["text"] or "").split("\n", 1)[0][:60]
    error = f"  error: {row['last_error'][:80]}" if row["last_error"] else ""
    return (f"{row['id']:>7}  {row['status']:<9} {row['attempts']:>2}  {row['kind']:<14} "
            f"{row['recipient_kind']}:{row['recipient']}  {row['dedupe_key'] or '-'}  {text}{error}")


async def _work(settings: Settings, args: argparse.Namespace, now: datetime, out: TextIO) -> int:
    from storage.engine import make_engine, make_sessionmaker
    from storage.services.outbox_admin import OutboxAdmin
    from storage.uow import UnitOfWorkFactory

    engine = make_engine(settings.database)
    try:
        async with UnitOfWorkFactory(make_sessionmaker(engine))() as uow:
            admin = OutboxAdmin(uow)
            if args.outbox_command == "list":
                rows = [entry_json(e) for e in await admin.list(include_delivered=args.all, limit=args.limit)]
                for row in rows:
                    out.write((json.dumps(row, ensure_ascii=False) if args.json else _line(row)) + "\n")
                if not args.json:
                    out.write(f"{len(rows)} row(s)\n")
                return 0
            if args.outbox_command == "retry":
                if not args.dead and not args.ids:
                    print("dealbot outbox retry: give row IDs or --dead", file=sys.stderr)
                    return 2
                count = await admin.retry(now, args.ids, dead=args.dead)
                out.write(f"{count} row(s) queued again\n")
            else:
                before = datetime.fromisoformat(args.delivered_before) if args.delivered_before else (
                    now - timedelta(days=7))
                if before.tzinfo is None:
                    print("--delivered-before needs a UTC offset", file=sys.stderr)
                    return 2
                count = await admin.purge(before)
                out.write(f"{count} delivered row(s) before {before.isoformat()} purged\n")
            await uow.commit()
            return 0
    finally:
        await engine.dispose()


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands import ensure_schema
    from bot.core.clock import system_clock

    async def go() -> int:
        await ensure_schema(settings)
        return await _work(settings, args, system_clock(), sys.stdout)

    return asyncio.run(go())
