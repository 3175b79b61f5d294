"""Sample replies for the Slack render snapshots: the real card builders fed fixed DTOs, plus edge cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.core.replies import Accent, ActionRef, Button, Card, Field, Reply, ReplyMode, Text
from config import PipelineSettings
from handlers.catalog import load_catalogs
from handlers.help import overview
from handlers.views import deal_reply, remind_choices
from storage.dto import DealView, Money
from storage.pipeline import Pipeline
from tests.harness.world import DEFAULT_NOW as NOW

PIPELINE = Pipeline(PipelineSettings())
HOSTILE = "<!channel> & <@U0BOSS> <https://evil.example|click>"


def deal(customer: str = "华为", note: str | None = "电话沟通了报价") -> DealView:
    return DealView(id=12, customer_id=3, customer=customer, owner_login="li", owner_name="Li Lei", team="sales",
                    stage="qualified", money=Money(Decimal("500000"), "CNY"), amount_hidden=False,
                    next_followup_at=NOW + timedelta(days=1), overdue=False, last_note=note,
                    last_activity_at=NOW, created_at=NOW, contact="张总 13800138000")


def samples() -> dict[str, Reply]:
    load_catalogs()
    return {
        "deal_card_zh": deal_reply(deal(), PIPELINE, "zh-CN", "Asia/Shanghai", NOW, summary="已记录 **跟进**"),
        "deal_card_en": deal_reply(deal("ACME Ltd"), PIPELINE, "en", "Asia/Shanghai", NOW, accent=Accent.GOOD),
        "deal_card_hostile": deal_reply(deal(HOSTILE, HOSTILE), PIPELINE, "en", "Asia/Shanghai", NOW),
        "help_card_zh": overview("zh-CN"),
        "remind_choices": Reply(Card("提醒 #12", "提醒 #12", buttons=remind_choices(12, "zh-CN", {"tomorrow": NOW}))),
        "text_md_lite": Reply(Text("**已创建** #12 华为\n- 见 [文档](https://example.com/a?b=1&c=2)\n- a < b")),
        "text_ephemeral": Reply(Text("发送：跟进 #12 <内容>"), mode=ReplyMode.EPHEMERAL),
        "oversize_card": oversize(),
    }


def oversize() -> Reply:
    """Over every Slack limit at once: 150-char+ title, 7000-char summary, 520 fields (over 50 blocks), 30 buttons."""
    fields = (*(Field(f"字段{i}", f"值{i}") for i in range(518)), Field("长", "x" * 2500), Field("尾", "end"))
    buttons = tuple(Button(f"按钮{i}", ActionRef("deal.move", {"id": str(i)})) for i in range(30))
    summary = "\n".join(f"第{i}行 " + "内容" * 20 for i in range(160))
    return Reply(Card("标题" * 80, "fallback", summary=summary, fields=fields, buttons=buttons))
