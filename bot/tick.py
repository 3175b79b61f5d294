"""`dealbot tick`: run every scheduler job that would be due at an instant and show what is pushed,
to whom and why; with --dry-run nothing is written (pool returns included), with --json one object a line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from config import Settings


def format_push(push: dict[str, object]) -> str:
    who = f"{push['recipient_kind']}:{push['recipient']}"
    deal = f" #{push['deal_id']}" if push.get("deal_id") else ""
    head = f"[{push['kind']}] → {who}{deal}  ({push['dedupe_key']}; not before {push['not_before']})"
    return f"{head}\n  why: {push['why']}\n  " + str(push["text"]).replace("\n", "\n  ")


async def tick(settings: Settings, clock: Callable[[], datetime], *, dry_run: bool, as_json: bool,
               out: TextIO | None = None) -> int:
    from bot.app import load_secret
    from handlers.catalog import load_catalogs
    from reminders.scheduler import run_all_due
    from storage.crypto import ContactCipher
    from storage.engine import make_engine, make_sessionmaker
    from storage.uow import UnitOfWorkFactory

    out = out or sys.stdout
    load_catalogs()
    engine = make_engine(settings.database)
    try:
        pushes = await run_all_due(UnitOfWorkFactory(make_sessionmaker(engine)), clock, settings, dry_run=dry_run,
                                   cipher=ContactCipher(load_secret(settings)))
    finally:
        await engine.dispose()
    for push in pushes:
        data = push.as_json()
        out.write((json.dumps(data, ensure_ascii=False) if as_json else format_push(data)) + "\n")
    if not as_json:
        verb = "would be pushed (dry run)" if dry_run else "enqueued"
        out.write(f"{len(pushes)} push(es) {verb} at {clock().isoformat()}\n")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from bot.commands import clock_for, ensure_schema

    async def go() -> int:
        await ensure_schema(settings)
        return await tick(settings, clock_for(args.now), dry_run=args.dry_run, as_json=args.json)

    return asyncio.run(go())
