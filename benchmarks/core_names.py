"""Realistic, distinct customer names for the core benchmark, and their match keys.

Names are recombined from parts (region + brand + trade + legal form in Chinese; brand + trade + legal
form in English), and a name is only handed out when its match keys differ from every name handed out
before, so a typed name finds exactly one customer unless a test wants otherwise.

Keys come from the matcher's own public key function (`name_keys`), never from a copy of it: another
matcher may replace the current one, and the bulk-loaded `customer_keys` rows must stay what it writes.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.services import matcher as matcher_module
from storage.services.base import ServiceContext
from storage.uow import UnitOfWork

# Characters that the date and amount parsers never read as a time or a number (no 天, 明, 周, 万, 一...),
# so `新建 <name> ...` always keeps the whole name as the customer.
_BRAND_CHARS = ("华锐泰恒盛鑫达博瑞康宏信诚安鼎嘉源德通凯捷睿航远拓新联创智汇丰正金银海森林峰"
                "晨光启辰星宇顺祥隆兴茂昌荣和美佳雅卓越卫腾飞骏驰朗润泽清沃")
_CN_REGIONS = ("", "", "", "上海", "北京", "深圳", "杭州", "苏州", "宁波", "青岛", "厦门", "合肥", "佛山", "东莞",
               "无锡", "长沙", "郑州", "济南", "福州", "昆山")
_CN_TRADES = ("精密机械", "医疗器械", "新材料", "生物医药", "物流", "食品", "环保", "能源", "智能装备", "汽车零部件",
              "电气", "化工", "纺织", "包装", "建材", "家居", "光电", "仪器", "检测", "供应链", "云计算", "数据",
              "机器人", "半导体", "传感器", "储能", "水务", "农业", "文化传媒", "教育咨询")
_CN_LEGAL = ("有限公司", "有限公司", "股份有限公司", "科技有限公司", "集团有限公司")
_EN_HEADS = ("Vel", "Nor", "Cal", "Bright", "Astra", "Quant", "Hel", "Tri", "Zen", "Orio", "Prim", "Luma", "Sol",
             "Ever", "Nova", "Terra", "Arc", "Cres", "Vant", "Kin", "Max", "Opti", "Syn", "Vire", "Alto", "Bel",
             "Cor", "Dyn", "Eco", "Flux", "Gran", "Hori", "Inter", "Jade", "Kor", "Lex", "Mer", "Nex", "Omni", "Pax")
_EN_TAILS = ("tora", "vista", "wave", "path", "field", "core", "line", "gen", "ex", "ia", "ona", "ridge", "stone",
             "mark", "well", "point", "bridge", "works", "tek", "ova", "ium", "ara", "eon", "ix", "ora", "um",
             "ant", "ent", "is", "os", "ar", "an", "on", "ea", "ica", "ance", "ity", "ive", "era", "yn")
_EN_TRADES = ("Robotics", "Logistics", "Biotech", "Systems", "Foods", "Energy", "Materials", "Analytics", "Devices",
              "Pharma", "Networks", "Motors", "Textiles", "Packaging", "Optics", "Controls", "Software", "Labs",
              "Instruments", "Chemicals", "Solutions", "Retail", "Media", "Capital", "Health")
_EN_LEGAL = ("Inc", "Ltd", "LLC", "GmbH", "Co", "Corp", "Limited")
_EN_LINKS = ("", "", "a", "o", "is", "on", "ex", "ar", "um", "ix")
ENGLISH_SHARE = 0.1
THREE_CHAR_BRANDS = 0.85  # a trade name (字号) identifies a company: most are 3 characters, so they stay distinct
# Key kinds that must differ between two names (whole name, trade name, its sound: 驰远 vs 驰源 would
# collide); the other fuzzy kinds (prefixes, one-character wildcards) are meant to be shared.
EXACT_KINDS = frozenset({"norm", "name", "trade", "pinyin"})


@dataclass(frozen=True, slots=True)
class CompanyName:
    full: str  # as registered: with region and legal form
    typed: str  # what a rep types: no legal form

    @property
    def ref(self) -> str:
        """The typed name as the first word of 跟进/推进: quoted when it has spaces."""
        return f'"{self.typed}"' if " " in self.typed else self.typed


def _matcher(cipher: ContactCipher) -> Any:
    context = ServiceContext(UnitOfWork(None), lambda: datetime.now(UTC), Actor(None, "bench"),  # type: ignore[arg-type]
                             PipelineSettings(), cipher)
    return matcher_module.CustomerMatcher(context)


def key_function(cipher: ContactCipher) -> Callable[[str], set[tuple[str, str]]]:
    """The (kind, key) rows the matcher stores for one customer name, from its public key function."""
    module_level = getattr(matcher_module, "name_keys", None)
    if callable(module_level):
        return lambda name: set(module_level([name]))
    customer_matcher = _matcher(cipher)
    return lambda name: set(customer_matcher.name_keys([name]))


def phone_key_function(cipher: ContactCipher) -> Callable[[str], set[tuple[str, str]]]:
    """The customer_keys rows for a contact's phone, when the matcher keeps phones there (else none)."""
    customer_matcher = _matcher(cipher)
    if not hasattr(customer_matcher, "phone_key"):
        return lambda e164: set()
    return lambda e164: {customer_matcher.phone_key(e164)}


def _chinese(rng: random.Random) -> CompanyName:
    brand = "".join(rng.choice(_BRAND_CHARS) for _ in range(3 if rng.random() < THREE_CHAR_BRANDS else 2))
    region, trade = rng.choice(_CN_REGIONS), rng.choice(_CN_TRADES)
    return CompanyName(f"{region}{brand}{trade}{rng.choice(_CN_LEGAL)}", f"{region}{brand}{trade}")


def _english(rng: random.Random) -> CompanyName:
    brand = rng.choice(_EN_HEADS) + rng.choice(_EN_TAILS) + rng.choice(_EN_LINKS)
    trade = rng.choice(_EN_TRADES)
    return CompanyName(f"{brand} {trade} {rng.choice(_EN_LEGAL)}", f"{brand} {trade}")


def exact_keys(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {key for key in keys if key[0] in EXACT_KINDS} or keys


class NameSource:
    """Hands out names whose whole-name match keys are new; remembers every key handed out."""

    def __init__(self, seed: int, keys_of: Callable[[str], set[tuple[str, str]]]) -> None:
        self.rng = random.Random(seed)
        self.keys_of = keys_of
        self.used: set[tuple[str, str]] = set()

    def next(self) -> tuple[CompanyName, set[tuple[str, str]]]:
        for attempt in itertools.count():
            if attempt > 10_000:
                raise RuntimeError("name parts exhausted: add brand characters or trades")
            make = _english if self.rng.random() < ENGLISH_SHARE else _chinese
            name = make(self.rng)
            keys = self.keys_of(name.full)
            exact = exact_keys(keys)
            if keys and exact.isdisjoint(self.used) and exact_keys(self.keys_of(name.typed)) == exact:
                self.used |= exact
                return name, keys
        raise AssertionError("unreachable")

    def take(self, count: int) -> list[tuple[CompanyName, set[tuple[str, str]]]]:
        """The next `count` names (made once per run and shared by both databases: keys are not cheap)."""
        return [self.next() for _ in range(count)]
