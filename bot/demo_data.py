"""The demo team's people, customers and deal histories, as plain data that bot/demo.py replays.

Days are counted back from the demo's "now"; `next_due` is days from today (negative: overdue) or "today".
"""

from __future__ import annotations

from dataclasses import dataclass

TEAM, TZ = "demo", "Asia/Shanghai"

# login, name, role
PEOPLE = (
    ("wang", "王经理", "manager"),
    ("li", "李雷", "rep"),
    ("zhang", "张伟", "rep"),
    ("chen", "陈静", "rep"),
    ("admin", "管理员", "admin"),
)

# A note logged on the day a deal reaches each stage: (kind, note).
STAGE_NOTES = {
    "qualified": ("call", "电话沟通，确认有采购意向和预算"),
    "needs": ("visit", "上门拜访，梳理需求，拿到需求清单"),
    "proposal": ("meeting", "方案演示，客户技术负责人参加"),
    "quote": ("email", "发送正式报价单"),
    "negotiation": ("meeting", "商务谈判，讨论付款条件和交付周期"),
}


@dataclass(frozen=True, slots=True)
class DemoDeal:
    rep: str
    customer: str
    city: str | None
    amount: str | None  # exact decimal, in `currency`
    amount_text: str | None
    created: int  # days ago
    moves: tuple[tuple[str, int], ...] = ()  # (stage, days ago), in order
    logs: tuple[tuple[int, str, str], ...] = ()  # extra follow-ups: (days ago, kind, note)
    next_due: int | str | None = None
    currency: str = "CNY"
    contact: tuple[str, str | None, str | None] | None = None  # name, phone (E.164), e-mail
    aliases: tuple[str, ...] = ()
    won: tuple[int, str | None] | None = None  # (days ago, final amount or None)
    lost: tuple[int, str] | None = None  # (days ago, reason)
    release: int | None = None  # days ago the rep gave the customer back to the pool


def _path(*days: int) -> tuple[tuple[str, int], ...]:
    """Moves through the open stages in order, one per given day."""
    stages = ("qualified", "needs", "proposal", "quote", "negotiation")
    return tuple(zip(stages, days, strict=False))


DEALS = (
    # lead
    DemoDeal("li", "苏州恒润精密机械有限公司", "苏州", "300000", "30万", 2,
             logs=((1, "call", "电话初步沟通，对MES系统感兴趣"),), next_due="today",
             contact=("周工", "+8613800138001", None)),
    DemoDeal("zhang", "成都蜀源食品有限公司", "成都", None, None, 1, next_due=3),
    DemoDeal("chen", "Tailspin Toys", "Shanghai", "20000", "$20k", 3, currency="USD",
             logs=((2, "email", "Sent the intro deck and case studies"),), next_due=-1,
             contact=("Emma Clark", None, "emma.clark@tailspin.example")),
    DemoDeal("li", "青岛海纳环保科技有限公司", "青岛", "150000", "15万", 40,
             logs=((38, "call", "前台转接，未找到决策人"),), release=5),
    DemoDeal("zhang", "合肥星辰教育科技有限公司", "合肥", "80000", "8万", 45,
             logs=((44, "wechat", "加了微信，对方暂无预算"),), release=8),
    # qualified
    DemoDeal("chen", "北京中科云图信息技术有限公司", "北京", "800000", "80万", 12, _path(8),
             ((4, "call", "确认预算在三季度"),), -2, contact=("赵总", "+8613900139002", None)),
    DemoDeal("li", "武汉长江光电股份有限公司", "武汉", "450000", "45万", 9, _path(6), next_due="today"),
    DemoDeal("zhang", "南京金陵医药有限公司", "南京", "1200000", "120万", 15, _path(10),
             ((3, "call", "采购部要求补充资质文件"),), 2, contact=("孙经理", "+8613700137003", None)),
    DemoDeal("chen", "Fabrikam, Inc.", "Singapore", "150000", "$150k", 10, _path(7), next_due=5, currency="USD",
             contact=("David Lee", "+6591234567", "david.lee@fabrikam.example")),
    # needs
    DemoDeal("li", "杭州云帆数据有限公司", "杭州", "600000", "60万", 20, _path(16, 10),
             ((4, "call", "约下周产品演示"),), -3, contact=("陈工", "+8613600136004", "chen.gong@yunfan.example")),
    DemoDeal("zhang", "广州粤海物流有限公司", "广州", "350000", "35万", 18, _path(14, 9), next_due=1),
    DemoDeal("chen", "西安秦川汽车零部件有限公司", "西安", "900000", "90万", 25, _path(20, 12),
             ((6, "visit", "参观工厂，了解产线现状"),), "today"),
    DemoDeal("li", "厦门鹭岛国际贸易有限公司", "厦门", "250000", "25万", 14, _path(11, 5), next_due=4),
    # proposal
    DemoDeal("zhang", "深圳市华信达科技有限公司", "深圳", "1500000", "150万", 30, _path(25, 18, 9),
             ((3, "call", "客户反馈方案需要增加移动端"),), -1,
             contact=("刘总", "+8613500135005", "liu@huaxinda.example"), aliases=("Huaxinda",)),
    DemoDeal("chen", "上海东方明珠文旅集团", "上海", "2000000", "200万", 35, _path(30, 22, 12),
             ((5, "wechat", "微信确认下周复盘方案"),), 6),
    DemoDeal("li", "Contoso Ltd.", "Beijing", "300000", "$300k", 28, _path(24, 17, 8),
             ((2, "email", "Proposal v2 sent, waiting for IT review"),), "today", currency="USD",
             contact=("Sarah Chen", None, "sarah.chen@contoso.example"), aliases=("康托索",)),
    DemoDeal("zhang", "天津渤海重工机械有限公司", "天津", "1100000", "110万", 33, _path(27, 20, 11), next_due=-5),
    # quote
    DemoDeal("chen", "重庆山城电子商务有限公司", "重庆", "750000", "75万", 40, _path(34, 26, 18, 7),
             ((3, "call", "对方在比价，承诺周五前答复"),), 2),
    DemoDeal("li", "宁波港城新材料有限公司", "宁波", "1800000", "180万", 45, _path(40, 32, 20, 10),
             ((4, "visit", "拜访采购总监，报价基本认可"),), -2, contact=("吴经理", "+8613300133006", None)),
    DemoDeal("zhang", "济南泉城软件有限公司", "济南", "420000", "42万", 38, _path(33, 25, 15, 6), next_due=3),
    # negotiation
    DemoDeal("chen", "长沙湘江制药股份有限公司", "长沙", "2600000", "260万", 60, _path(52, 44, 33, 20, 8),
             ((2, "call", "法务在审合同条款"),), 1, contact=("黄总", "+8613200132007", None)),
    DemoDeal("li", "郑州中原粮油集团有限公司", "郑州", "950000", "95万", 55, _path(48, 40, 30, 18, 6),
             ((3, "meeting", "价格谈到九折，等对方老板拍板"),), "today"),
    DemoDeal("zhang", "Northwind Traders", "Hong Kong", "80000.50", "$80,000.50", 50,
             _path(44, 36, 25, 14, 5), next_due=4, currency="USD"),
    # won
    DemoDeal("li", "无锡太湖半导体有限公司", "无锡", "3200000", "320万", 70, _path(63, 55, 44, 30, 18),
             contact=("钱总", "+8613100131008", None), won=(9, "3100000")),
    DemoDeal("zhang", "福州闽江水务有限公司", "福州", "550000", "55万", 50, _path(45, 38, 28, 15, 8), won=(3, None)),
    DemoDeal("chen", "大连海湾船舶设备有限公司", "大连", "1400000", "140万", 65, _path(58, 49, 37, 25, 16),
             won=(12, "1380000")),
    DemoDeal("chen", "Wide World Importers", "Shanghai", "120000", "$120k", 48, _path(42, 35, 24, 15, 10),
             currency="USD", won=(6, None)),
    # lost
    DemoDeal("li", "昆明滇池旅游开发有限公司", "昆明", "600000", "60万", 42, _path(36, 28, 19), lost=(11, "预算冻结，明年再议")),
    DemoDeal("zhang", "沈阳北方机床有限公司", "沈阳", "2100000", "210万", 58, _path(50, 41, 30, 16),
             lost=(7, "价格高于竞品 15%，选择了竞争对手")),
    DemoDeal("chen", "石家庄冀中纺织有限公司", "石家庄", "380000", "38万", 35, _path(29, 20),
             lost=(10, "客户内部项目取消"), release=4),
)
