"""`dealbot customers find QUERY [--json] [--jsonl]` and `dealbot customers reindex`: the matcher from the
command line. One read-only unit of work serves every query, so thousands of --jsonl lines stream fast."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from config import Settings


async def answer(services: Any, query: str) -> dict[str, Any]:
    """{"query", "kind", "matches": [{"id", "name", "owner", "match", "score"}]}, best first."""
    from storage.services.confirm import match_candidates

    found = await services.customers.lookup(query)
    listed = await match_candidates(services.ctx, found.hits, limit=50)
    matches = [{"id": c.customer_id, "name": c.customer, "owner": c.owner_login, "match": c.match,
                "score": c.score} for c in listed]
    return {"query": query, "kind": found.kind, "matches": matches}


def _queries(lines: Iterable[str]) -> Iterable[str | None]:
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            yield None
            continue
        query = data.get("query") if isinstance(data, dict) else None
        yield query if isinstance(query, str) else None


async def stream(services: Any, source: IO[str], out: IO[str]) -> int:
    count = 0
    for query in _queries(source):
        result = await answer(services, query) if query is not None else {"error": "no query"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
    out.flush()
    return count


def _print_text(result: dict[str, Any]) -> None:
    print(f"{result['query']}: {result['kind']}")
    for m in result["matches"]:
        print(f"  #{m['id']}\t{m['name']}\t{m['owner'] or '(pool)'}\t{m['match']}\t{m['score']:.3f}")


async def reindex(services: Any, batch: int = 500) -> int:
    """Rewrite the keys and stored profile of every live customer (after a matcher upgrade); returns how many."""
    from sqlalchemy import select

    from storage.models import Customer

    matcher, session, done, last = services.customers.matcher, services.ctx.session, 0, 0
    while True:
        ids = list(await session.scalars(select(Customer.id).where(
            Customer.id > last, Customer.deleted_at.is_(None)).order_by(Customer.id).limit(batch)))
        if not ids:
            return done
        for customer_id in ids:
            await matcher.index_names(customer_id)
            await matcher.index_contacts(customer_id)
        done, last = done + len(ids), ids[-1]


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands import with_services

    if args.customers_command == "reindex":
        count = with_services(settings, reindex)
        print(f"reindexed {count} customers")
        return 0
    if args.jsonl:
        with_services(settings, lambda services: stream(services, sys.stdin, sys.stdout), commit=False)
        return 0
    if not args.query:
        print("dealbot customers find: give a QUERY or --jsonl", file=sys.stderr)
        return 2
    result = with_services(settings, lambda services: answer(services, args.query), commit=False)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_text(result)
    return 0
