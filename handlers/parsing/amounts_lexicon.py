"""Word lists and precompiled patterns for the amount grammar (amounts.py).

Everything here runs on NFKC-normalised text; patterns are case-insensitive where ASCII words occur.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

CN_DIGITS: Final[dict[str, int]] = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_SMALL: Final[dict[str, int]] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG: Final[dict[str, int]] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# Where a number can begin. 数/上/近 only as vague leaders of a unit (数十万, 上百万, 近千万).
START_RE: Final = re.compile(
    r"[0-9]+|[零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾几半]"
    r"|[数上近](?=[十百千万亿拾佰仟萬億])"
)
ARABIC_RE: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")

# Scale words after a number. "plain" ones make a money amount by themselves; "ctx" ones
# (m, mm, mn, b) only with a currency marker or a money cue (A3: M in a money context).
ENG_UNIT_RE: Final = re.compile(
    r"(?:\s?(?P<word>millions?|mln|mil|billions?|bln|bil|bn|thousands?|grand)"
    r"|(?P<short>mm|mn|k|w|m|b))(?![A-Za-z])",
    re.IGNORECASE,
)
ENG_UNITS: Final[dict[str, tuple[Decimal, bool]]] = {
    "million": (Decimal(10**6), False), "millions": (Decimal(10**6), False),
    "mln": (Decimal(10**6), False), "mil": (Decimal(10**6), False),
    "billion": (Decimal(10**9), False), "billions": (Decimal(10**9), False),
    "bln": (Decimal(10**9), False), "bil": (Decimal(10**9), False), "bn": (Decimal(10**9), False),
    "thousand": (Decimal(1000), False), "thousands": (Decimal(1000), False),
    "grand": (Decimal(1000), False), "k": (Decimal(1000), False), "w": (Decimal(10**4), False),
    "mm": (Decimal(10**6), True), "mn": (Decimal(10**6), True), "m": (Decimal(10**6), True),
    "b": (Decimal(10**9), True),
}

_CUR_PRE: Final = (
    r"(?P<cur>HK\$|US\$|NT\$|S\$|A\$|C\$|\$|¥|€|£|₩|RMB|CNY|USD|HKD|EUR|JPY|GBP|TWD|SGD|AUD|CAD"
    r"|人民币|美元|美金|港币|港元|欧元|日元|英镑)\s*"
)
CUR_PRE_RE: Final = re.compile(r"(?<![A-Za-z])" + _CUR_PRE + r"$", re.IGNORECASE)
CUR_PRE_AT_RE: Final = re.compile(_CUR_PRE, re.IGNORECASE)
CUR_SUF_RE: Final = re.compile(
    r"\s?(?P<cur>元人民币|元|圆|块钱|块(?!屏|板|硬盘|地|砖|显示|电池|芯片|表|牌|石|玻璃|布|蛋糕|肉|区)"
    r"|人民币|RMB|CNY|yuan|美元|美金|美刀|刀|USD|dollars?|bucks|港币|港元|HKD|欧元|EUR|euros?"
    r"|日元|JPY|yen|英镑|GBP|新台币|台币|TWD|新币|SGD|澳元|AUD|加元|CAD)(?![A-Za-z])",
    re.IGNORECASE,
)
CURRENCY_CODES: Final[dict[str, str]] = {
    "hk$": "HKD", "us$": "USD", "nt$": "TWD", "s$": "SGD", "a$": "AUD", "c$": "CAD", "$": "USD",
    "¥": "CNY", "€": "EUR", "£": "GBP", "₩": "KRW", "rmb": "CNY", "cny": "CNY", "usd": "USD",
    "hkd": "HKD", "eur": "EUR", "jpy": "JPY", "gbp": "GBP", "twd": "TWD", "sgd": "SGD",
    "aud": "AUD", "cad": "CAD", "人民币": "CNY", "美元": "USD", "美金": "USD", "港币": "HKD",
    "港元": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "元人民币": "CNY", "元": "CNY",
    "圆": "CNY", "块钱": "CNY", "块": "CNY", "yuan": "CNY", "美刀": "USD", "刀": "USD",
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
    "yen": "JPY", "新台币": "TWD", "台币": "TWD", "新币": "SGD", "澳元": "AUD", "加元": "CAD",
}

# Qualifiers (A6). Group "a" marks the approximate ones.
QUAL_PRE_RE: Final = re.compile(
    r"(?:(?P<a>(?<![签合契预制邀节公条履违续解])约|大约|大概|大致|差不多|将近|接近|(?<![最附临靠])近|估计|预计|around|about|approx\.?|approximately"
    r"|roughly|almost|nearly|~)|不超过|不到|不高于|不低于|上限|最多|最少|至少|起码|up to|under|over"
    r"|at most|at least|between|max\.?|min\.?)\s*$",
    re.IGNORECASE,
)
QUAL_SUF_RE: Final = re.compile(
    r"\s?(?:(?P<a>左右|上下|出头|来|[-\s]?ish|or so)|以上|以内|以下|之内|之间|以外|内|起步|起|整|\+|plus)",
    re.IGNORECASE,
)
RANGE_SEP_RE: Final = re.compile(r"\s*(?:[-–—~〜]+|至|到|to(?![A-Za-z]))\s*", re.IGNORECASE)
AND_SEP_RE: Final = re.compile(r"\s*and\s+", re.IGNORECASE)

_FILLER: Final = (
    r"(?:\s|[:=]|是|为|在|约|大约|大概|大致|有|达|达到|共|预计|估计|差不多|控制在|定在|报了|给了|给到"
    r"|\b(?:is|of|at|was|around|about|approx|approximately|roughly|~)\b)*"
)
# A money word or a count/identifier word right before the number (the nearest wins).
PREFIX_RE: Final = re.compile(
    r"(?:(?P<cue>预算|报价|金额|总价|总额|合同额|合同金额|合同价|合同|签约额|签约金额|签单|成交额|成交价"
    r"|价格|价钱|价位|单价|售价|定价|标价|费用|成本|花费|开销|收费|年费|月费|服务费|授权费|许可费|实施费"
    r"|首付|定金|订金|尾款|回款|付款|预付款|预付|货款|款项|投资|融资|估值|营收|收入|利润|毛利|采购额"
    r"|采购金额|商机金额|项目金额|标的|中标价|还价|出价|开价|砍到|降到|压到|优惠到|打包价|一口价|客单价"
    r"|价值|共计|合计|总计|(?<![A-Za-z])(?:budget|price|pricing|cost|costs|quote|quoted|deal size|deal value|amount"
    r"|value|valued|worth|fee|fees|acv|arr|mrr|tcv|revenue|spend|pay|paid|offer|offered|bid"
    r"|contract value|contract))"
    r"|(?P<cnt>日活|月活|周活|活跃|dau|mau|uv|pv|粉丝|关注|订阅|用户|会员|员工|人员|人数|职工|学生|客户数"
    r"|门店|网点|面积|建筑面积|播放|阅读|下载|访问|浏览|点击|曝光|流量|销量|库存|数量|产量|产能|装机"
    r"|订单号|单号|编号|工号|合同号|流水号|房间|房号|会议室|电话|手机号?|号码|座机|尾号|版本|型号|分机"
    r"|邮编|身份证|#|(?<![A-Za-z])(?:tel|phone|mobile|id|no\.?|room|ver|version|order|ticket|headcount|users|seats"
    r"|iphone|ipad|mate|pixel|galaxy|windows|win|gen|model|level|step|phase|week|day|q|h|p|v))"
    r"(?:数|量|数量|规模|总数|总量|人数)?)"
    + _FILLER + r"$",
    re.IGNORECASE,
)
# Time-of-day words: after them 点 is an hour, not a decimal point.
TIME_PRE_RE: Final = re.compile(r"(?:上午|下午|中午|晚上|早上|早晨|凌晨|傍晚|今晚|明早|明晚|今早|夜里|晚|早)\s*$")

COUNTER_RE: Final = re.compile(
    r"(?:年|月|日|号|天|周|小时|分|秒|时|点|岁|季度|期|届|代|倍|折|度|级|%|‰)"
    r"|\s?(?:台|人(?!民币)|位|名|家|套|件|张(?!总|经理|工|老师|先生|女士|姐|哥|董|局|处|科|部长|主任)"
    r"|次|条|笔|户|座|栋|层|楼|室|间|辆|颗|片|本(?!金|次)|部(?!署|门)|份|箱|瓶|包|盒|斤|公斤|吨|克|米|公里"
    r"|平|亩|公顷|像素|字|步|票|封|页|篇|场|批|寸|英寸|核|款(?!项)|种|类|节|课|集|行(?!不|吗|吧|啊|的|了)"
    r"|屏|兆|个(?![万亿萬億])|用户|员工|粉丝|会员|学生|门店|终端|设备|账号|席位|平米|平方|电视|视频|分辨率"
    r"|显示|高清|画质|投影|字节"
    r"|(?:users?|seats?|units?|people|persons?|employees?|staff|heads?|licen[cs]es?|pcs|pieces?|items?"
    r"|orders?|customers?|accounts?|clients?|visits?|views?|downloads?|followers?|fans?|subscribers?"
    r"|members?|stores?|stars?|likes?|installs?|visitors?|students?|sites?|locations?|devices?|servers?|nodes?|cores?|days?|weeks?|months?|years?"
    r"|yrs?|hours?|hrs?|minutes?|mins?|seconds?|secs?|sq\s?m|sqm|sqft|square|meters?|km|kg|tons?"
    r"|times|x|percent|pct|dau|mau|rooms?|floors?|beds?|calls?|emails?|leads?|tokens?|requests?|messages?"
    r"|sms)(?![A-Za-z]))",
    re.IGNORECASE,
)
# The number runs on into a date, time, phone, id or version: 2026-03-05, 15:30, 12/5, 1.2.3.
CHAIN_RE: Final = re.compile(r"[-/:.,_][0-9]")
# Things that read as a weekday or ordinal when a digit follows: 周三, 星期3, 礼拜五, 第3, 初五.
ORDINAL_PREV: Final = frozenset("周期拜第初")
UNIT_HEADER_RE: Final = re.compile(
    r"单位\s*[:：]?\s*(?P<u>万元|万美元|千元|亿元|百万元|百万|万|元|美元|千美元|港元|欧元)"
)
UNIT_HEADERS: Final[dict[str, tuple[Decimal, str]]] = {
    "万元": (Decimal(10**4), "CNY"), "万": (Decimal(10**4), "CNY"), "千元": (Decimal(1000), "CNY"),
    "亿元": (Decimal(10**8), "CNY"), "百万元": (Decimal(10**6), "CNY"), "百万": (Decimal(10**6), "CNY"),
    "元": (Decimal(1), "CNY"), "万美元": (Decimal(10**4), "USD"), "美元": (Decimal(1), "USD"),
    "千美元": (Decimal(1000), "USD"), "港元": (Decimal(1), "HKD"), "欧元": (Decimal(1), "EUR"),
}
IDIOM_RE: Final = re.compile(r"一千零一夜|十万火急|十万八千里|一五一十|三五成群|万无一失|九牛一毛|一干二净")
PHONE_LIKE_RE: Final = re.compile(r"1[3-9][0-9]{9}|0[0-9]{6,}|[0-9]{12,}")
ASCII_WORD_BEFORE_RE: Final = re.compile(r"([A-Za-z]+)\s?$")
MONEY_WORDS: Final = frozenset(
    {"rmb", "cny", "usd", "hkd", "eur", "jpy", "gbp", "twd", "sgd", "aud", "cad", "budget", "price",
     "cost", "quote", "fee", "acv", "arr", "mrr", "tcv", "around", "about", "approx", "is", "of",
     "at", "to", "up", "and", "between", "under", "over", "worth", "value", "pay", "paid", "spend",
     "revenue", "amount", "valued", "bid", "offer", "offered", "quoted", "pricing", "costs", "fees",
     "contract", "roughly", "nearly", "almost", "least", "most", "max", "min", "was"}
)
