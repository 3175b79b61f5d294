"""What each `dealbot` subcommand does; bot/cli.py only parses arguments."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from bot.core.clock import FrozenClock, system_clock
from config import DatabaseSettings, Settings, load_settings

T = TypeVar("T")


def parse_instant(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise SystemExit(f"--now needs a UTC offset, e.g. {text}+08:00")
    return when


def clock_for(now: str | None) -> Callable[[], datetime]:
    instant = parse_instant(now)
    return FrozenClock(instant) if instant else system_clock


async def ensure_schema(settings: Settings) -> None:
    """Migrate on first use, so `dealbot chat` works on a fresh machine without `db upgrade`."""
    await ensure_database(settings.database)


async def ensure_database(database: DatabaseSettings) -> None:
    from storage.engine import make_engine
    from storage.schema import is_current

    engine = make_engine(database)
    try:
        current = await is_current(engine)
    finally:
        await engine.dispose()
    if not current:
        from storage.migrate import upgrade

        await asyncio.to_thread(upgrade, database.url)


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    try:
        settings = load_settings(args.config)
    except (ValidationError, FileNotFoundError) as exc:
        print(f"dealbot: configuration error: {exc}", file=sys.stderr)
        return 2
    handler = COMMANDS[args.command]
    return handler(args, settings)


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_chat

    async def go() -> int:
        await ensure_schema(settings)
        return await run_chat(settings, args.login, clock_for(args.now), as_json=args.json)

    return asyncio.run(go())


def _start(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_chat
    from bot.demo import DEMO_MANAGER, seed_if_empty

    async def go() -> int:
        await ensure_schema(settings)
        await seed_if_empty(settings, system_clock)
        return await run_chat(settings, DEMO_MANAGER, system_clock, as_json=False)

    return asyncio.run(go())


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo import seed

    async def go() -> int:
        await ensure_schema(settings)
        summary = await seed(settings, clock_for(args.now))
        print(summary)
        return 0

    return asyncio.run(go())


def _parse(args: argparse.Namespace, settings: Settings) -> int:
    from bot.parse_cli import parse_lines, parse_one

    if args.jsonl:
        parse_lines(sys.stdin, sys.stdout, settings.bot.default_tz)
        return 0
    if args.text is None:
        print("dealbot parse: give a TEXT or --jsonl", file=sys.stderr)
        return 2
    now = parse_instant(args.now) or system_clock()
    print(json.dumps(parse_one(args.text, now, args.tz or settings.bot.default_tz), ensure_ascii=False))
    return 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import upgrade

    upgrade(settings.database.url)
    print(f"database at the newest schema: {settings.database.url}")
    return 0


def with_services(settings: Settings, work: Callable[[Any], Awaitable[T]], *, commit: bool = True) -> T:
    """Run `work(services)` in one unit of work as the command line (audited as platform 'cli')."""
    from bot.app import load_secret
    from storage.crypto import ContactCipher
    from storage.dto import Actor
    from storage.engine import make_engine, make_sessionmaker
    from storage.services import Services
    from storage.uow import UnitOfWorkFactory

    async def go() -> T:
        await ensure_schema(settings)
        engine = make_engine(settings.database)
        try:
            async with UnitOfWorkFactory(make_sessionmaker(engine))() as uow:
                services = Services(uow, system_clock, Actor(None, "cli"), settings.pipeline,
                                    ContactCipher(load_secret(settings)))
                result = await work(services)
                if commit:
                    await uow.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from storage.errors import DomainError

    async def work(services: Any) -> list[Any]:
        if args.users_command == "add":
            return [await services.users.add(args.login, args.name, args.role, args.team, args.tz,
                                             settings.bot.default_tz)]
        if args.users_command == "link":
            return [await services.users.link(args.login, args.platform, args.platform_user_id)]
        return list(await services.users.list())

    try:
        users = with_services(settings, work)
    except DomainError as exc:
        from bot.core import i18n
        from handlers.catalog import load_catalogs

        load_catalogs()
        print(i18n.t(exc.code, "en", **exc.params), file=sys.stderr)
        return 1
    for user in users:
        print(f"{user.login}\t{user.name}\t{user.role}\t{user.team}\t{user.tz}")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.export import export

    return export(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if settings.server.processing == "separate":
        _share_metrics_between_processes()
    from bot.server import serve

    asyncio.run(ensure_schema(settings))
    asyncio.run(_report_stale_profiles(settings))
    if settings.server.processing == "separate":
        from storage.engine import inbox_database

        # A SQLite inbox lives in its own file, with the same schema (only its inbox table is used).
        asyncio.run(ensure_database(inbox_database(settings.database)))
    serve(settings, args.host, args.port)
    return 0


async def _report_stale_profiles(settings: Settings) -> None:
    from storage.engine import make_engine
    from storage.schema import stale_profiles

    engine = make_engine(settings.database)
    try:
        stale, seen = await stale_profiles(engine)
    finally:
        await engine.dispose()
    if stale:
        print(f"dealbot: {stale} of the {seen} newest customers have no current match profile (a new parser "
              "or rows from before it): lookups parse them, which is slower. Run `dealbot customers reindex`.",
              file=sys.stderr)


def _share_metrics_between_processes() -> None:
    """Both processes of a split `serve` count (acks in one, deliveries in the other): prometheus_client's
    multiprocess mode, which must be chosen before prometheus_client is first imported."""
    import os
    import shutil
    import tempfile

    if "PROMETHEUS_MULTIPROC_DIR" in os.environ or "prometheus_client" in sys.modules:
        return
    directory = tempfile.mkdtemp(prefix="dealbot-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    atexit.register(shutil.rmtree, directory, True)


def _teams(args: argparse.Namespace, settings: Settings) -> int:
    from storage.directory import set_team_group

    fields = dict(item.split("=", 1) for item in args.fields if "=" in item)
    if not fields:
        print("dealbot teams group: give at least one --set KEY=VALUE", file=sys.stderr)
        return 2

    async def work(services: Any) -> None:
        await set_team_group(services.ctx.uow, args.team, args.platform, fields)

    with_services(settings, work)
    print(f"{args.team}: {args.platform} group set ({', '.join(sorted(fields))})")
    return 0


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.tick import run as run_tick

    return run_tick(args, settings)


def _outbox(args: argparse.Namespace, settings: Settings) -> int:
    from bot.outbox_cli import run as run_outbox

    return run_outbox(args, settings)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.import_cli import run as run_import

    return run_import(args, settings)


def _customers(args: argparse.Namespace, settings: Settings) -> int:
    from bot.customers_cli import run as run_customers

    return run_customers(args, settings)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "start": _start, "chat": _chat, "demo": _demo, "parse": _parse, "db": _db, "users": _users,
    "export": _export, "serve": _serve, "teams": _teams, "tick": _tick, "outbox": _outbox,
    "import": _import, "customers": _customers,
}
