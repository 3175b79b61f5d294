"""查/who, 我的/mine, 今天/today: answers that change nothing."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.replies import ActionRef, Button, Card, Field, Recipient, Reply, Text
from bot.core.router import HandlerResult, Router
from handlers.args import NoArgs, WhoArgs, parse_none, parse_who
from handlers.context import Ctx
from handlers.customers import who_buttons
from handlers.format import format_date, format_money, format_time
from handlers.views import action, deal_data, deal_line
from storage.dto import DealView, WhoEntry


def _who_line(ctx: Ctx, entry: WhoEntry) -> str:
    loc = ctx.locale
    owner = entry.owner_name if entry.owner_name else t("reply.in_pool", loc)
    stage = ctx.services.pipeline.label(entry.stage, loc) if entry.stage else "-"
    next_at = format_time(entry.next_followup_at, ctx.tz, loc, ctx.now) if entry.next_followup_at else "-"
    amount = f" · {format_money(entry.money)}" if entry.money else ""
    line = t("reply.who_line", loc, owner=owner, stage=stage,
             last=format_date(entry.last_activity_at, ctx.tz), next=next_at, amount=amount)
    return line + (t("reply.who_possible", loc) if entry.match == "possible" else "")


async def who(ctx: Ctx, args: WhoArgs) -> HandlerResult:
    kind, entries = await ctx.services.queries.who_answer(args.query, args.contact)
    if not entries:
        key = "customers.too_generic" if kind == "ambiguous" else "reply.who_none"
        return Reply(Text(t(key, ctx.locale, query=args.query)), data={"kind": kind, "matches": []})
    lines = [_who_line(ctx, e) for e in entries]
    title = t("customers.which" if kind == "ambiguous" else "reply.who_title", ctx.locale, query=args.query)
    data = {"kind": kind, "matches": [
        {"customer_id": e.customer_id, "customer": e.customer, "owner": e.owner_login, "match": e.match,
         "stage": e.stage, "deal_id": e.deal_id} for e in entries]}
    fields = tuple(Field(e.customer, line) for e, line in zip(entries, lines, strict=True))
    text = "\n".join([title, *(f"{e.customer}: {line}" for e, line in zip(entries, lines, strict=True))])
    return Reply(Card(title, text, fields=fields, buttons=who_buttons(ctx, args.query, entries)), data=data)


async def mine(ctx: Ctx, args: NoArgs) -> HandlerResult:
    deals, total = await ctx.services.queries.mine()
    if not deals:
        return Reply(Text(t("reply.mine_empty", ctx.locale)), data={"deals": []})
    return _deal_list(ctx, t("reply.mine_title", ctx.locale, shown=len(deals), total=total), deals)


async def today(ctx: Ctx, args: NoArgs) -> HandlerResult:
    deals = await ctx.services.queries.today()
    if not deals:
        return Reply(Text(t("reply.today_empty", ctx.locale)), data={"deals": []})
    return _deal_list(ctx, t("reply.today_title", ctx.locale, count=len(deals)), deals)


def _deal_list(ctx: Ctx, title: str, deals: list[DealView]) -> Reply:
    pipeline = ctx.services.pipeline
    lines = [deal_line(d, pipeline, ctx.locale, ctx.tz, ctx.now) for d in deals]
    log_label = t("button.log", ctx.locale)
    buttons = tuple(Button(f"#{d.id} {log_label}", action("deal.log_prompt", ctx.locale, id=str(d.id)))
                    for d in deals[:5])
    return Reply(Card(title, "\n".join([title, *lines]), summary="\n".join(lines), buttons=buttons),
                 data={"deals": [deal_data(d) for d in deals]})


async def collision_ask_clicked(ctx: Ctx, clicked: ActionRef) -> HandlerResult:
    """The blocked creator asks the manager; the team group gets a card with the assign button."""
    customer_id = int(clicked.args["customer"])
    entries = await ctx.services.queries.who_by_id(customer_id)
    if not entries:
        return Reply(Text(t("error.no_such_customer", ctx.locale, id=customer_id)))
    entry = entries[0]
    text = t("collision.ask_team", ctx.locale, creator=ctx.user.name, owner=entry.owner_name or "-",
             customer=entry.customer)
    buttons: tuple[Button, ...] = ()
    if entry.deal_id is not None:
        buttons = (Button(t("button.assign_to", ctx.locale, name=ctx.user.name),
                          action("deal.assign", ctx.locale, id=str(entry.deal_id), to=ctx.user.login)),)
    notice = Reply(Card(text, text, buttons=buttons), data={"customer_id": customer_id},
                   to=Recipient("team", ctx.user.team))
    return [Reply(Text(t("collision.asked", ctx.locale)), data={"customer_id": customer_id}), notice]


def register(router: Router[Ctx]) -> None:
    router.command("who", "查", "查询", "谁", args=parse_who)(who)
    router.command("mine", "我的", "my", args=parse_none)(mine)
    router.command("today", "今天", "今日", args=parse_none)(today)
    router.action("collision.ask")(collision_ask_clicked)
