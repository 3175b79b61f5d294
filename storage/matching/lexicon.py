"""Word lists for name anatomy: legal forms (R2), industry descriptors with synonym groups (R3),
generic words (R10) and the standard bank abbreviations named in R8. No company knowledge here.
"""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    """Space-separated word list (keeps long CJK lists readable)."""
    return tuple(text.split())


# R2. "Formal" forms make a name a registered entity name; loose ones (集团, 控股) do not.
LEGAL_FORMAL_ZH = words(
    "集团股份有限公司 集团有限责任公司 集团有限公司 股份有限公司 有限责任公司 有限公司 集团公司 股份公司 "
    "总公司 分公司 公司 有线公司 有线责任公司 股分有限公司 特殊普通合伙 普通合伙 合伙企业"
)
LEGAL_LOOSE_ZH = words("集团 控股 股份 股分")
LEGAL_ZH = tuple(sorted({*LEGAL_FORMAL_ZH, *LEGAL_LOOSE_ZH}, key=len, reverse=True))
FORMAL_ZH = frozenset(LEGAL_FORMAL_ZH)

LEGAL_EN = frozenset(
    words(
        "inc incorporated corp corporation co company ltd limited llc lp llp plc ag se sa nv bv gmbh kk pte "
        "pty group holdings holding na spa srl"
    )
)
FORMAL_EN = LEGAL_EN - {"group", "holdings", "holding"}

# R3 descriptors, variant -> canonical. Synonyms share a canonical spelling; typos map to the right word.
_SYNONYMS = {
    "信息技术": "信息技术 信息科技 资讯科技 信息技朮",
    "电子商务": "电子商务 电商",
    "软件": "软件 软建",
    "通信": "通信 通讯",
    "医药": "医药 制药 药业",
    "地产": "地产 房地产 置业",
    "快递": "快递 速递",
    "咨询": "咨询 信息咨询 管理咨询",
    "律所": "律所 律师事务所",
    "会计师事务所": "会计师事务所 会计事务所",
    "科技": "科技 技术 技朮 科枝 高科技 高新技术",
    "网络": "网络 网络技术 网络科技 互联网",
}
# Descriptors that say nothing about the business; they never separate two names.
FILLERS = frozenset(words("科技 网络 实业 发展 企业 国际 创新 服务 智能 管理 商务 有限"))
_OTHERS = words(
    "数据 数字 大数据 云计算 人工智能 电子 电器 电气 电力 电网 能源 新能源 风电 光电 光伏 半导体 微电子 "
    "集成电路 终端 设备 材料 新材料 化工 石油 石化 天然气 汽车 客车 重工 机械 制造 精密 工业 自动化 航空 "
    "航天 物流 供应链 运输 银行 证券 保险 信托 基金 金融 资本 投资 资产管理 财富 移动 电信 云 在线 办公 "
    "建筑 建设工程 工程 工程局 装饰 设计 生物 医疗 器械 健康 食品 调味 饮料 乳业 味业 酒业 咖啡 餐饮 零售 "
    "超市 商贸 贸易 商业 百货 传媒 文化 创意 娱乐 影视 游戏 音乐 教育 广告 营销 印刷 包装 服装 纺织 家居 "
    "家具 环境 环保 园林 五金 塑胶 塑料 制品 茶业 旅行 旅游 计算机 系统 安防 视觉 机器人 新药开发 新药研发 "
    "数科 金服 支付 外卖 视频 直播 地图 出行 打车"
)

DESCRIPTORS: dict[str, str] = {}
for _canonical, _variants in _SYNONYMS.items():
    for _variant in _variants.split():
        DESCRIPTORS[_variant] = _canonical
for _word in (*_OTHERS, *FILLERS):
    DESCRIPTORS.setdefault(_word, _word)
DESCRIPTORS_BY_LENGTH = tuple(sorted(DESCRIPTORS, key=len, reverse=True))

# Subsidiary or branch suffixes: 中铁一局, 中建八局, 北京分行.
ORDINAL_UNIT = r"(?:第?[一二三四五六七八九十]+(?:工程)?局|[一二三四五六七八九十]+公司)"
BRANCH = words("分行 支行 分公司 办事处 营业部 代表处 分所")

EN_DESCRIPTORS = frozenset(
    words("technologies technology systems software enterprise international motor motors electric solutions")
)
EN_FILLERS = frozenset(words("technologies technology international solutions"))

# R10: words that are never an identity on their own.
GENERIC_ZH = frozenset(words("东方 南方 西方 北方 东南 西南 西北 东北 华东 华南 华北 华中 中华 中部 西部 国家 全国"))
GENERIC_EN = frozenset(words("the and of company group bank china global north south east west"))

# R8: standard bank and grid abbreviations, expanded before matching.
ABBREVIATIONS = {
    "建行": "中国建设银行",
    "工行": "中国工商银行",
    "中行": "中国银行",
    "农行": "中国农业银行",
    "招行": "招商银行",
    "交行": "交通银行",
    "国网": "国家电网",
    "南网": "南方电网",
}


def canonical_descriptor(word: str) -> str:
    return DESCRIPTORS.get(word, word)


def substantive(descriptors: tuple[str, ...]) -> frozenset[str]:
    """The descriptors that name a business line (fillers such as 科技 dropped)."""
    return frozenset(d for d in descriptors if d not in FILLERS and d not in EN_FILLERS)
