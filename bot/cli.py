"""The `dealbot` command: argument parsing only; each subcommand imports what it needs when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealbot", description="Sales deals from the chat app.")
    parser.add_argument("--config", help="TOML settings file (default: ./dealbot.toml if present)")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("start", help="migrate, seed a demo on an empty database, open the console chat")

    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--as", dest="login", required=True, help="the dealbot user you speak as")
    chat.add_argument("--now", help="freeze the clock at this ISO 8601 instant")
    chat.add_argument("--json", action="store_true", help="print each reply as one JSON object")

    parse = sub.add_parser("parse", help="read a date/time and an amount out of a text")
    parse.add_argument("text", nargs="?", help="the text (omit with --jsonl)")
    parse.add_argument("--now", help="reference instant, ISO 8601 (default: now)")
    parse.add_argument("--tz", help="IANA time zone (default: the bot's default)")
    parse.add_argument("--jsonl", action="store_true", help='read {"text","now","tz"} lines from stdin')

    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="add a user")
    add.add_argument("login")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=("rep", "manager", "admin"))
    add.add_argument("--team", required=True)
    add.add_argument("--tz")
    users.add_parser("list", help="list users")
    link = users.add_parser("link", help="link a platform account to a user")
    link.add_argument("login")
    link.add_argument("--platform", required=True, choices=("slack", "wecom", "dingtalk"))
    link.add_argument("--id", dest="platform_user_id", required=True)

    export = sub.add_parser("export", help="export records")
    export.add_argument("what", choices=("deals", "customers", "activities"))
    export.add_argument("--format", default="csv", choices=("csv", "json", "xlsx"))
    export.add_argument("--out", help="file to write (default: standard output; required for xlsx)")

    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations (Alembic)")

    serve = sub.add_parser("serve", help="run the bot for the enabled platforms (HTTP server + worker)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    teams = sub.add_parser("teams", help="manage teams").add_subparsers(dest="teams_command", required=True)
    group = teams.add_parser("group", help="set a team's group chat on a platform")
    group.add_argument("team")
    group.add_argument("--platform", required=True, choices=("slack", "wecom", "dingtalk"))
    group.add_argument("--set", dest="fields", action="append", default=[], metavar="KEY=VALUE",
                       help="address field, e.g. channel=C123 (slack), chatid=… or webhook_key=… (wecom), "
                            "open_conversation_id=… or webhook=… secret=… (dingtalk)")

    demo = sub.add_parser("demo", help="fill the database with a demo team")
    demo.add_argument("--now", help="the demo's 'now', ISO 8601")

    tick = sub.add_parser("tick", help="run every scheduler job due now (or --now) and show the pushes")
    tick.add_argument("--now", help="the instant, ISO 8601 with offset (default: now)")
    tick.add_argument("--dry-run", action="store_true", help="write nothing, only show what would be pushed")
    tick.add_argument("--json", action="store_true", help="one JSON object per push")

    outbox = sub.add_parser("outbox", help="pushes and replies waiting, retried, dead or delivered")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    listing = outbox_sub.add_parser("list", help="pending, retried and dead rows")
    listing.add_argument("--all", action="store_true", help="delivered rows too")
    listing.add_argument("--json", action="store_true", help="one JSON object per row")
    listing.add_argument("--limit", type=int, default=500)
    retry = outbox_sub.add_parser("retry", help="queue rows again, now, with a fresh attempt count")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID")
    retry.add_argument("--dead", action="store_true", help="every dead-lettered row")
    purge = outbox_sub.add_parser("purge", help="delete delivered rows")
    purge.add_argument("--delivered-before", help="ISO 8601 instant (default: 7 days ago)")

    imp = sub.add_parser("import", help="import customers or deals from CSV (UTF-8) or .xlsx")
    imp.add_argument("what", choices=("customers", "deals"))
    imp.add_argument("file", help="header name,aliases,phone,email,city,owner (or 客户名称,别名,电话,邮箱,城市,负责人)")
    imp.add_argument("--dry-run", action="store_true", help="report new, same and possible rows; write nothing")
    imp.add_argument("--team", help="team of customers without an owner (default: the first team)")
    imp.add_argument("--json", action="store_true", help="the report as one JSON object")

    customers = sub.add_parser("customers", help="customers as the matcher sees them")
    customers_sub = customers.add_subparsers(dest="customers_command", required=True)
    find = customers_sub.add_parser("find", help="ranked matches for a name, phone or e-mail")
    find.add_argument("query", nargs="?", help="what a rep would type (omit with --jsonl)")
    find.add_argument("--json", action="store_true", help="one JSON object")
    find.add_argument("--jsonl", action="store_true", help='read {"query": ...} lines from stdin, one result each')
    customers_sub.add_parser("reindex", help="rewrite every customer's match keys (after a matcher upgrade)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bot.commands import run  # after parsing, so --help stays instant

    try:
        return run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
