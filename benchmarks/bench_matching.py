"""Customer matching at a million customers: index build, lookup latency by query class, throughput,
peak memory, and the evaluation set's F1 before and after the filler customers are added.

    .venv/bin/python benchmarks/bench_matching.py sqlite [--customers N]
    .venv/bin/python benchmarks/bench_matching.py postgresql://postgres:test@127.0.0.1:5432/postgres

The evaluation book (tests/data/matching_book.jsonl) is loaded through the services, its F1 measured,
then N synthetic customers (recombined regions, trade-name characters, descriptors, legal forms; English
names from parts; phones for 40%, company domains for 25%, aliases for half) are bulk-loaded with the
keys `storage.services.matcher` writes, and every figure is taken through `CustomerMatcher` itself.
PostgreSQL runs in a scratch database `dealbot_bench_matching`, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from config import DatabaseSettings
from storage.engine import make_engine, make_sessionmaker
from storage.matching import Book, compact
from storage.matching.anatomy import parse
from storage.matching.phones import forget_phones
from storage.matching.profile import profile
from storage.matching.query import prepare
from storage.matching.typos import pinyin_key, readings
from storage.matching.warm import warm_up
from storage.migrate import upgrade
from storage.services.matcher import KEY_LENGTH, contact_domain, name_keys, stored_profile
from storage.uow import UnitOfWorkFactory
from tests.unit.customers.bookdb import BOOK, CIPHER, QUERIES, lines, load_book, services

BENCH_DB = "dealbot_bench_matching"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CHARS = ("华锐泰恒盛鑫达博瑞康宏信诚安鼎嘉源德通凯捷睿航远拓新联创智汇丰正金银海森林峰晨光启辰星宇顺祥隆兴茂昌"
         "荣和美佳雅卓越卫腾飞骏驰朗润泽清沃天地人和合众益久立昊晟煜璟瀚霖梓楷铭远景明亮圣欣悦鸿鹏翔云帆")
REGIONS = ("上海", "北京", "深圳", "杭州", "苏州", "宁波", "青岛", "厦门", "合肥", "佛山", "东莞", "无锡", "长沙",
           "郑州", "济南", "福州", "成都", "武汉", "西安", "南京", "天津", "重庆", "广州", "昆明")
DESCRIPTORS = ("精密机械", "医疗器械", "新材料", "生物医药", "物流", "食品", "环保", "能源", "智能装备", "电气",
               "化工", "纺织", "包装", "建材", "家居", "光电", "仪器", "检测", "供应链", "数据", "机器人", "半导体",
               "信息技术", "网络科技", "科技", "贸易", "文化传媒", "教育咨询", "建筑工程", "汽车零部件")
LEGAL = ("有限公司", "有限公司", "股份有限公司", "有限责任公司")
EN_HEADS = ("Vel", "Nor", "Cal", "Bright", "Astra", "Quant", "Hel", "Tri", "Zen", "Orio", "Prim", "Luma", "Sol",
            "Ever", "Nova", "Terra", "Arc", "Cres", "Vant", "Kin", "Opti", "Syn", "Vire", "Alto", "Bel", "Dyn")
EN_TAILS = ("tora", "vista", "wave", "path", "field", "core", "line", "gen", "ridge", "stone", "mark", "well",
            "point", "bridge", "works", "tek", "ova", "ium", "ara", "eon", "ix", "ora", "ant", "ity", "era")
EN_TRADES = ("Robotics", "Logistics", "Biotech", "Systems", "Foods", "Energy", "Materials", "Analytics", "Devices",
             "Pharma", "Networks", "Motors", "Optics", "Controls", "Software", "Labs", "Instruments", "Retail")
EN_LEGAL = ("Inc", "Ltd", "LLC", "GmbH", "Co", "Corp", "Limited")
# id, name, city, aliases, phone, email, brand
Filler = tuple[int, str, str | None, tuple[str, ...], str | None, str | None, str]


def book_trades() -> set[str]:
    """Trade names of the evaluation book: fillers are other companies, so they never reuse one."""
    return {compact(n) for r in lines(BOOK) for n in (r["name"], *r["aliases"]) if len(compact(n)) <= 4}


def fillers(count: int, first_id: int, seed: int = 5) -> Iterator[Filler]:
    rng, banned = random.Random(seed), book_trades()
    phones = rng.sample(range(10**8), count)
    for n in range(count):
        cid = first_id + n
        phone = f"+86139{phones[n]:08d}" if rng.random() < 0.4 else None
        if rng.random() < 0.8:
            brand = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            if brand in banned:
                brand += rng.choice(CHARS)
            region, descriptor = rng.choice(REGIONS), rng.choice(DESCRIPTORS)
            name = f"{region}{brand}{descriptor}{rng.choice(LEGAL)}"
            aliases = (brand + descriptor[:2],) if rng.random() < 0.5 else ()
            city = region if rng.random() < 0.3 else None
        else:
            brand = rng.choice(EN_HEADS) + rng.choice(EN_TAILS) + rng.choice(("", "a", "o", "ex", "is"))
            name, city = f"{brand} {rng.choice(EN_TRADES)} {rng.choice(EN_LEGAL)}", None
            aliases = (brand,) if rng.random() < 0.3 else ()
        email = f"sales@{brand.lower() if brand.isascii() else 'c'}{cid}.com" if rng.random() < 0.25 else None
        yield cid, name, city, aliases, phone, email, brand


def indexed(f: Filler) -> Made:
    """The key rows and the stored profile the services write for this customer."""
    cid, name, city, aliases, _phone, email, _brand = f
    keys = [(cid, kind, key[:KEY_LENGTH]) for kind, key in name_keys([name, *aliases], city)]
    domain = contact_domain(email)
    return keys + ([(cid, "email_domain", domain)] if domain else []), stored_profile([name, *aliases], city)


def batches(count: int, first_id: int, size: int = 20_000) -> Iterator[list[Filler]]:
    batch: list[Filler] = []
    for f in fillers(count, first_id):
        batch.append(f)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


Made = tuple[list[tuple[int, str, str]], str]  # a customer's key rows and stored profile


def table_rows(batch: list[Filler], made: list[Made]) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {"customers": [], "customer_aliases": [], "contacts": [],
                                              "customer_keys": []}
    for f, (fk, stored) in zip(batch, made, strict=True):
        cid, name, city, aliases, phone, email, _ = f
        rows["customers"].append((cid, name, city, 1, None, NOW, NOW, stored))
        rows["customer_aliases"] += [(cid, a) for a in aliases]
        if phone or email:
            rows["contacts"].append((cid, CIPHER.encrypt(phone) if phone else None,
                                     CIPHER.lookup_hash("phone", phone) if phone else None,
                                     CIPHER.encrypt(email) if email else None, NOW))
        rows["customer_keys"] += fk
        if phone:
            rows["customer_keys"].append((cid, "phone", CIPHER.lookup_hash("phone", phone)))
    return rows


COLUMNS = {"customers": ("id", "name", "city", "team_id", "owner_id", "last_activity_at", "created_at",
                         "match_profile"),
           "customer_aliases": ("customer_id", "alias"),
           "contacts": ("customer_id", "phone_enc", "phone_hash", "email_enc", "created_at"),
           "customer_keys": ("customer_id", "kind", "key")}
INDEXES = ("CREATE UNIQUE INDEX uq_customer_keys_bench ON customer_keys (customer_id, kind, key)",
           "CREATE INDEX ix_customer_keys_kind_key ON customer_keys (kind, key)")


def produce(count: int, first_id: int) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    with Pool(2) as pool:
        for batch in batches(count, first_id):
            yield table_rows(batch, pool.map(indexed, batch, chunksize=500))


def load_sqlite(path: Path, count: int, first_id: int) -> dict[str, float]:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("DROP INDEX ix_customer_keys_kind_key")
    conn.execute("CREATE TABLE ck_new (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
                 "kind VARCHAR(16) NOT NULL, key VARCHAR(200) NOT NULL)")
    conn.execute("INSERT INTO ck_new SELECT id, customer_id, kind, key FROM customer_keys")
    conn.execute("DROP TABLE customer_keys")
    conn.execute("ALTER TABLE ck_new RENAME TO customer_keys")
    def stamp(v: Any) -> Any:
        return v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v

    started = time.perf_counter()
    for rows in produce(count, first_id):
        for table, batch in rows.items():
            cols = COLUMNS[table]
            conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                             [tuple(stamp(v) for v in r) for r in batch])
        conn.commit()
    loaded = time.perf_counter()
    for sql in INDEXES:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return {"load_s": loaded - started, "index_s": time.perf_counter() - loaded}


async def load_postgres(dsn: str, count: int, first_id: int) -> dict[str, float]:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ALTER TABLE customer_keys DROP CONSTRAINT uq_customer_keys_customer_id_kind_key")
        await conn.execute("DROP INDEX ix_customer_keys_kind_key")
        await conn.execute("SET session_replication_role = replica")
        started = time.perf_counter()
        for rows in produce(count, first_id):
            for table, batch in rows.items():
                await conn.copy_records_to_table(table, records=batch, columns=COLUMNS[table])
        loaded = time.perf_counter()
        for sql in INDEXES:
            await conn.execute(sql)
        for table in ("customers", "customer_keys", "customer_aliases", "contacts"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await conn.execute("ANALYZE")
        return {"load_s": loaded - started, "index_s": time.perf_counter() - loaded}
    finally:
        await conn.close()


def query_sets(count: int, first_id: int, size: int, seed: int = 11) -> dict[str, list[str]]:
    """Queries a rep would type about the filler customers (and about none: `unknown`)."""
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    picked = set(rng.sample(range(count), min(count, 20 * size)))
    sample = [f for i, f in enumerate(fillers(count, first_id)) if i in picked]
    rng.shuffle(sample)
    sounds: dict[str, list[str]] = {}
    for ch in CHARS:
        sounds.setdefault(lazy_pinyin(ch)[0], []).append(ch)

    def homophone(brand: str) -> str | None:
        for i, ch in enumerate(brand):
            others = [c for c in sounds[lazy_pinyin(ch)[0]] if c != ch]
            if others:
                return brand[:i] + others[0] + brand[i + 1 :]
        return None

    zh = [f for f in sample if not f[6].isascii()]
    en = [f for f in sample if f[6].isascii() and len(f[6]) >= 6]
    pinyin = [h for f in zh if len(f[6]) >= 3 and (h := homophone(f[6]))]
    unknown_rng = random.Random(seed + 1)
    return {
        "exact": [f[1] for f in sample[:size]],
        "short-name": [f[6] for f in zh if len(f[6]) == 2][:size],
        "pinyin": pinyin[:size],
        "typo": [f[6][:2] + f[6][3:] + " " + f[1].split()[1] for f in en][:size],
        "phone": [f"{p[3:6]}-{p[6:10]}-{p[10:]}" for f in sample if (p := f[4])][:size],
        "unknown": ["".join(unknown_rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯") for _ in range(3)) + "科技有限公司"
                    for _ in range(size)],
    }


async def timed(factory: UnitOfWorkFactory, queries: list[str]) -> list[float]:
    times = []
    async with factory() as uow:
        matcher = (await services(uow)).customers.matcher
        for query in queries:
            started = time.perf_counter()
            await matcher.lookup(query)
            times.append(time.perf_counter() - started)
    return times


async def f1(factory: UnitOfWorkFactory, ids: dict[str, int]) -> tuple[float, float]:
    """F1 of `same` answers and the must-not-match rate answered `same` (as storage.matching.evaluate)."""
    tp = fp = fn = false_same = must_not = 0
    async with factory() as uow:
        matcher = (await services(uow)).customers.matcher
        for case in (c for path in QUERIES for c in lines(path)):
            result = await matcher.find(case["query"])
            expected = {ids[i] for i in case.get("ids", [])}
            hit = result.kind == "same" and result.top is not None and int(result.top.record_id) in expected
            if case["expect"] == "same":
                tp, fn = tp + hit, fn + (not hit)
            else:
                must_not, false_same = must_not + 1, false_same + (result.kind == "same")
            fp += result.kind == "same" and not (case["expect"] == "same" and hit)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return 2 * precision * recall / max(precision + recall, 1e-9), false_same / max(must_not, 1)


def forget_parsed() -> None:
    """Empty the parser's caches, so that a query asked again is timed as if it were new (the second pass
    measures the database's pages in memory, not answers remembered from the first)."""
    for cached in (prepare, parse, profile, pinyin_key, readings):
        cached.cache_clear()
    forget_phones()


def ms(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100)[int(q) - 1] * 1000 if len(times) > 2 else max(times) * 1000


async def measure(url: str, load: Callable[[int], Awaitable[dict[str, float]]], count: int, size: int) -> None:
    engine = make_engine(DatabaseSettings(url=url))
    factory = UnitOfWorkFactory(make_sessionmaker(engine))
    try:
        ids = await load_book(factory)
        small = await f1(factory, ids)
        Book.from_jsonl(BOOK)  # the in-memory reference answers the same (tests/unit/customers)
        first_id = max(ids.values()) + 1
        print(f"eval set on the {len(ids)}-customer book: F1 {small[0]:.4f}, must-not-match answered same "
              f"{small[1]:.2%}", flush=True)
        figures = await load(first_id)
        print(f"loaded {count:,} filler customers in {figures['load_s']:.0f} s (keys computed and copied); "
              f"indexes built in {figures['index_s']:.0f} s", flush=True)
        sets = query_sets(count, first_id, size)
        # The generator's own objects (a million filler tuples) are frozen out of the collector's sight:
        # otherwise a full collection in the middle of a lookup scans them, and the tail measures the
        # benchmark's garbage, not the matcher (`dealbot serve` freezes its start-up objects the same way).
        warm_up()
        gc.collect()
        gc.freeze()
        await timed(factory, sets["exact"][:20])  # warm the connection pool and the caches of the parser
        # This machine's kernel reclaims idle page cache within minutes (DAMON), so the first pass reads
        # most candidates' pages from disk; the second pass is a server whose book is in memory.
        for run in ("first pass (pages from disk)", "second pass (pages in memory)"):
            print(f"  {run}:", flush=True)
            for label, queries in sets.items():
                forget_parsed()
                times = await timed(factory, queries)
                print(f"  {label:<10} n={len(times):<4} p50 {ms(times, 50):6.2f} ms   p99 {ms(times, 99):6.2f} ms",
                      flush=True)
        # 1,000 other queries, each asked once: a repeated query would be answered from the parser's caches
        distinct = query_sets(count, first_id, 1000, seed=12)
        for label in ("exact", "phone"):
            queries = distinct[label]
            await timed(factory, queries)  # their pages into memory, as in the second pass above
            forget_parsed()
            started = time.perf_counter()
            await timed(factory, queries)
            print(f"  throughput {label}: {len(queries) / (time.perf_counter() - started):,.0f} lookups/s "
                  f"({len(queries)} distinct queries, one at a time)", flush=True)
        big = await f1(factory, ids)
        print(f"eval set with {count:,} fillers: F1 {big[0]:.4f} (delta {big[0] - small[0]:+.4f}), "
              f"must-not-match answered same {big[1]:.2%}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of the benchmark process (generation included): {peak:,.0f} MB")
    finally:
        await engine.dispose()


async def bench_sqlite(count: int, size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        await measure(url, lambda first: asyncio.to_thread(load_sqlite, path, count, first), count, size)
        print(f"SQLite file: {path.stat().st_size / 2**20:,.0f} MB")


async def bench_postgres(admin_url: str, count: int, size: int) -> None:
    import asyncpg

    admin_dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    bench = make_url(admin_url).set(drivername="postgresql+asyncpg", database=BENCH_DB)
    url = bench.render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        await asyncio.to_thread(upgrade, url)
        dsn = bench.set(drivername="postgresql").render_as_string(hide_password=False)
        await measure(url, lambda first: load_postgres(dsn, count, first), count, size)
        size_mb = await admin.fetchval("SELECT pg_database_size($1)", BENCH_DB) / 2**20
        print(f"PostgreSQL database: {size_mb:,.0f} MB")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("database", help="'sqlite' or a PostgreSQL admin URL")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    args = parser.parse_args()
    if args.database == "sqlite":
        asyncio.run(bench_sqlite(args.customers, args.queries))
    else:
        asyncio.run(bench_postgres(args.database, args.customers, args.queries))


if __name__ == "__main__":
    main()
