"""Bulk load of a realistic sales book for the core benchmark, bypassing the services.

Rows go in with explicit ids: through SQLAlchemy Core `insert()` executemany on SQLite (a sync engine,
so the models' column types store datetimes exactly as the app does), and through asyncpg `COPY` on
PostgreSQL. Every batch flushes all tables parents-first, so foreign keys always point at loaded rows.
What the benchmark later types (names of customers with exactly one open deal, per rep) is remembered.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Table, create_engine, insert, text

from benchmarks.core_names import CompanyName, NameSource, key_function, phone_key_function
from storage.crypto import ContactCipher
from storage.models import Activity, Contact, Customer, CustomerKey, Deal, FollowUp, StageChange, Team, User
from storage.services.matcher import stored_profile

NOW = datetime.fromisoformat("2026-11-27T10:00:00+08:00")  # a Friday; the benchmark's frozen clock
OPEN_STAGES = ("lead", "qualified", "needs", "proposal", "quote", "negotiation")
OPEN_STAGE_WEIGHTS = (30, 22, 18, 14, 10, 6)
LOST_FROM_WEIGHTS = (30, 25, 20, 12, 8, 5)  # most deals die early
TEAMS = ("华东一组", "华东二组", "华北组", "华南组", "大客户部")
REPS_PER_TEAM = 9
POOL_SHARE, OPEN_SHARE, WON_SHARE, CONTACT_SHARE = 0.10, 0.75, 0.25, 0.3
BATCH_ROWS = 20_000
TABLE_ORDER = [m.__table__ for m in (Team, User, Customer, CustomerKey, Contact, Deal, StageChange, FollowUp,
                                     Activity)]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "杰", "娟", "涛", "明", "超", "秀英", "桂英", "志强")
_NOTES = (("call", "电话沟通，确认预算"), ("visit", "上门拜访，见了采购负责人"), ("wechat", "微信发了资料"),
          ("meeting", "方案演示"), ("email", "发送报价单"))
_LOST_REASONS = ("价格太高", "选了竞品", "预算取消", "项目延期", "联系不上")


@dataclass(frozen=True, slots=True)
class Rep:
    id: int
    login: str
    team_id: int


@dataclass(frozen=True, slots=True)
class OpenDeal:
    """A customer whose only open deal is owned by `login`: `跟进/推进 <name>` resolves to it alone."""

    login: str
    name: CompanyName
    stage: str


@dataclass
class Fixture:
    reps: list[Rep]
    open_deals: dict[str, list[OpenDeal]]  # rep login -> targets
    any_customers: list[CompanyName]  # for 查: owned, pooled, open or closed
    fresh_names: Iterator[tuple[CompanyName, set[tuple[str, str]]]]  # never loaded: for 新建
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


class Sink(Protocol):
    async def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None: ...
    async def finish(self) -> None: ...


class SqliteSink:
    """Core executemany on a plain (sync) SQLite connection; one transaction for the whole load."""

    def __init__(self, path: str) -> None:
        self.engine = create_engine(f"sqlite:///{path}")
        self.connection = self.engine.connect()
        self.connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self.connection.exec_driver_sql("PRAGMA synchronous=OFF")
        self.connection.commit()
        self.transaction = self.connection.begin()

    async def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        names = [column.name for column in table.columns]
        self.connection.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])

    async def finish(self) -> None:
        self.transaction.commit()
        self.connection.execute(text("ANALYZE"))
        self.connection.commit()
        self.connection.close()
        self.engine.dispose()


class PostgresSink:
    """asyncpg COPY; foreign-key triggers off while loading (rows are written parents-first anyway)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.connection: Any = None

    async def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        if self.connection is None:
            import asyncpg

            self.connection = await asyncpg.connect(self.dsn)
            await self.connection.execute("SET session_replication_role = replica")
        await self.connection.copy_records_to_table(table.name, records=rows,
                                                    columns=[column.name for column in table.columns])

    async def finish(self) -> None:
        await self.connection.execute("SET session_replication_role = DEFAULT")
        for table in TABLE_ORDER:  # explicit ids were given: move each sequence past them
            await self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)")
        # VACUUM as well: the visibility map it sets lets index-only scans skip the table, as they do on a
        # server where autovacuum has seen the rows (PostgreSQL 13+ also vacuums after bulk inserts).
        await self.connection.execute("VACUUM ANALYZE")
        await self.connection.close()


class Buffers:
    """Rows per table with running ids; a full buffer flushes every table, parents first."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.rows: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in TABLE_ORDER}
        self.next_id: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()

    def new_id(self, table: Table) -> int:
        self.next_id[table.name] += 1
        return self.next_id[table.name]

    def put(self, table: Table, row_id: int, *values: Any) -> None:
        self.rows[table.name].append((row_id, *values))

    def add(self, table: Table, *values: Any) -> int:
        row_id = self.new_id(table)
        self.put(table, row_id, *values)
        return row_id

    async def flush_when_full(self) -> None:
        """Called between customers only, so a flush never splits a customer from its deals."""
        if max(len(rows) for rows in self.rows.values()) >= BATCH_ROWS:
            await self.flush()

    async def flush(self) -> None:
        for table in TABLE_ORDER:
            rows = self.rows[table.name]
            if rows:
                await self.sink.write(table, rows)
                self.counts[table.name] += len(rows)
                self.rows[table.name] = []


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _stage_path(rng: random.Random, is_open: bool) -> list[str]:
    """The stages a deal went through, first to current."""
    if is_open:
        last = rng.choices(range(len(OPEN_STAGES)), OPEN_STAGE_WEIGHTS)[0]
        return list(OPEN_STAGES[: last + 1])
    if rng.random() < WON_SHARE:
        return [*OPEN_STAGES, "won"]
    last = rng.choices(range(len(OPEN_STAGES)), LOST_FROM_WEIGHTS)[0]
    return [*OPEN_STAGES[: last + 1], "lost"]


class BookWriter:
    """Generates one customer at a time (with its deals, history, follow-ups) into the buffers."""

    def __init__(self, buffers: Buffers, rng: random.Random, cipher: ContactCipher) -> None:
        self.out = buffers
        self.rng = rng
        self.cipher = cipher
        self.phone_keys = phone_key_function(cipher)
        self.phone_serial = 0

    def people(self) -> list[Rep]:
        reps = []
        for team_name in TEAMS:
            team_id = self.out.add(Team.__table__, team_name, "Asia/Shanghai", "zh-CN", "CN", None, NOW)
            manager = f"mgr{team_id}"
            self.out.add(User.__table__, manager, _person(self.rng), "manager", team_id, None, None, True, NOW)
            for _ in range(REPS_PER_TEAM):
                login = f"rep{len(reps) + 1:02d}"
                user_id = self.out.add(User.__table__, login, _person(self.rng), "rep", team_id, None, None,
                                             True, NOW)
                reps.append(Rep(user_id, login, team_id))
        return reps

    async def customer(self, name: CompanyName, keys: set[tuple[str, str]], owner: Rep | None,
                       seller: Rep, deal_count: int) -> str | None:
        """Writes the customer with its deals; returns the stage of its one open deal, if it has one."""
        rng, out = self.rng, self.out
        customer_id = out.new_id(Customer.__table__)
        created = NOW - timedelta(days=rng.uniform(200, 720))
        open_stage = None
        last_activity = created
        for index in range(deal_count):
            is_open = owner is not None and index == deal_count - 1 and rng.random() < OPEN_SHARE
            path = _stage_path(rng, is_open)
            last_activity = max(last_activity, self.deal(customer_id, seller, path, in_pool=owner is None))
            open_stage = path[-1] if is_open else open_stage
        out.put(Customer.__table__, customer_id, name.full, None, seller.team_id, owner.id if owner else None,
                created if owner else None, last_activity, seller.id, created, None, stored_profile([name.full]))
        for kind, key in sorted(keys):
            out.add(CustomerKey.__table__, customer_id, kind, key[:200])
        if rng.random() < CONTACT_SHARE:
            self.phone_serial += 1
            phone = f"+86137{self.phone_serial:08d}"
            out.add(Contact.__table__, customer_id, _person(rng), self.cipher.encrypt(phone),
                    self.cipher.lookup_hash("phone", phone), None, None, created, None)
            for kind, key in sorted(self.phone_keys(phone)):
                out.add(CustomerKey.__table__, customer_id, kind, key)
        await out.flush_when_full()
        return open_stage

    def deal(self, customer_id: int, seller: Rep, path: list[str], *, in_pool: bool) -> datetime:
        rng, out = self.rng, self.out
        stage, closed = path[-1], path[-1] in ("won", "lost")
        created = NOW - timedelta(days=rng.uniform(len(path) * 10 + 1, 700 if closed else 180))
        changes = [created]
        for _ in path[1:]:
            changes.append(changes[-1] + timedelta(days=rng.uniform(1, 10)))
        last_activity = changes[-1] if closed else min(changes[-1] + timedelta(days=rng.uniform(0, 10)),
                                                       NOW - timedelta(hours=1))
        units = rng.randrange(1, 500)
        amount, amount_text = (Decimal(units * 10_000), f"{units}万") if rng.random() < 0.8 else (None, None)
        deal_id = out.add(
            Deal.__table__, customer_id, seller.id, seller.team_id, stage, amount, "CNY" if amount else None,
            amount_text, None, None, rng.choice(_LOST_REASONS) if stage == "lost" else None, created,
            last_activity, last_activity, changes[-1] if closed else None, None, 1, in_pool)
        previous = None
        for to_stage, at in zip(path, changes, strict=True):
            out.add(StageChange.__table__, deal_id, previous, to_stage, seller.id, at, None)
            previous = to_stage
        if not closed:
            kind, note = rng.choice(_NOTES)
            out.add(Activity.__table__, deal_id, seller.id, kind, note, None, last_activity, last_activity,
                          None)
            if rng.random() < 0.5:
                out.add(FollowUp.__table__, deal_id, seller.id, last_activity, "done", None, seller.id,
                              changes[0], last_activity)
            due = (NOW + timedelta(days=rng.randint(-7, 21))).replace(hour=rng.choice((1, 2, 6, 7)), minute=0)
            out.add(FollowUp.__table__, deal_id, seller.id, due, "open", None, seller.id, last_activity, None)
        return last_activity


def make_names(count: int, secret: str, seed: int = 2) -> list[tuple[CompanyName, set[tuple[str, str]]]]:
    return NameSource(seed, key_function(ContactCipher(secret))).take(count)


async def load(sink: Sink, names: list[tuple[CompanyName, set[tuple[str, str]]]], *, customers: int, deals: int,
               secret: str, seed: int = 2) -> Fixture:
    """Teams, users, `customers` customers with keys and some contacts, `deals` deals with history;
    `names` holds the customers' names first, then the fresh ones 新建 will use."""
    started = time.perf_counter()
    rng = random.Random(seed)
    buffers = Buffers(sink)
    cipher = ContactCipher(secret)
    writer = BookWriter(buffers, rng, cipher)
    reps = writer.people()
    reps_by_team: dict[int, list[Rep]] = {}
    for rep in reps:
        reps_by_team.setdefault(rep.team_id, []).append(rep)
    if deals < customers:
        raise ValueError("every customer gets at least one deal: --deals must be >= --customers")
    deals_of = Counter(rng.choices(range(customers), k=deals - customers))
    fixture = Fixture(reps, {rep.login: [] for rep in reps}, [], iter(names[customers:]))
    for index in range(customers):
        name, keys = names[index]
        owner = None if rng.random() < POOL_SHARE else rng.choice(reps)
        seller = owner or rng.choice(reps_by_team[rng.choice(list(reps_by_team))])
        open_stage = await writer.customer(name, keys, owner, seller, 1 + deals_of[index])
        if owner is not None and open_stage is not None:
            fixture.open_deals[owner.login].append(OpenDeal(owner.login, name, open_stage))
        if index % 7 == 0:
            fixture.any_customers.append(name)
    await buffers.flush()
    await sink.finish()
    fixture.counts = buffers.counts
    fixture.seconds = time.perf_counter() - started
    return fixture
