"""Region lexicon: Chinese provinces and major cities (with and without 省/市) and English place words.

Generic linguistic data only; `region_prefix` and `region_suffix` find a region at either end of a name.
"""

from __future__ import annotations

from storage.matching.lexicon import words

PROVINCES = words(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
    "海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
)

CITIES = words(
    "深圳 广州 杭州 南京 苏州 成都 武汉 西安 长沙 郑州 济南 青岛 厦门 福州 合肥 南昌 昆明 贵阳 南宁 "
    "海口 三亚 兰州 西宁 银川 拉萨 乌鲁木齐 呼和浩特 包头 太原 大同 石家庄 唐山 保定 廊坊 沈阳 大连 鞍山 "
    "长春 哈尔滨 大庆 宁波 温州 绍兴 嘉兴 湖州 台州 金华 义乌 无锡 常州 徐州 南通 扬州 镇江 盐城 泰州 "
    "连云港 淮安 宿迁 昆山 芜湖 泉州 漳州 莆田 赣州 九江 烟台 潍坊 临沂 淄博 威海 洛阳 宜昌 襄阳 株洲 "
    "岳阳 常德 绵阳 宜宾 遵义 柳州 桂林 珠海 佛山 东莞 惠州 中山 江门 汕头 湛江 肇庆 宁德 西双版纳"
)

# Suffixes that may follow a region name; 中国 counts as a region (R4a).
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
NATIONAL = "中国"

_FORMS: dict[str, str] = {}
for _name in (*PROVINCES, *CITIES, NATIONAL, "中华人民共和国"):
    _FORMS[_name] = _name
    for _suffix in _SUFFIXES:
        _FORMS[_name + _suffix] = _name
_FORMS["中华人民共和国"] = NATIONAL
_LENGTHS = sorted({len(form) for form in _FORMS}, reverse=True)

EN_REGIONS = frozenset(
    words(
        "china usa us uk japan germany france singapore korea india canada australia europe asia "
        "beijing shanghai shenzhen guangzhou hangzhou hongkong hk taiwan macau apac emea prc"
    )
)


def canonical_region(text: str) -> str | None:
    """`深圳市` -> `深圳`; None when `text` is not a region."""
    return _FORMS.get(text)


def region_prefix(text: str) -> tuple[str, str] | None:
    """Split a leading region off `text`: (canonical region, rest) or None. The longest form wins:
    one dictionary probe per form length (the same answer as trying every form, longest first)."""
    for length in _LENGTHS:
        if len(text) > length and (region := _FORMS.get(text[:length])) is not None:
            return region, text[length:]
    return None


def region_suffix(text: str) -> tuple[str, str] | None:
    """Split a trailing region off `text`: (canonical region, rest) or None."""
    for length in _LENGTHS:
        if len(text) > length and (region := _FORMS.get(text[-length:])) is not None:
            return region, text[:-length]
    return None


def is_region(text: str) -> bool:
    return text in _FORMS or text in EN_REGIONS
