"""新建/new, 跟进/log, 提醒/remind: creating deals and keeping their follow-ups."""

from __future__ import annotations

from datetime import datetime

from bot.core.i18n import t
from bot.core.replies import Accent, ActionRef, Button, Card, Recipient, Reply, ReplyMode, Text
from bot.core.router import HandlerResult, Router
from handlers.args import LogArgs, NewArgs, SwitchArgs, WhenArgs, parse_log, parse_new, parse_remind_or_switch
from handlers.context import Ctx
from handlers.customers import candidate_lines, new_customer_buttons
from handlers.format import format_money, format_time
from handlers.parsing.dates import parse_when
from handlers.reminder_actions import switch_reminders
from handlers.views import action, deal_reply, remind_choices
from storage.dto import CollisionView
from storage.services import DealRef, NewDeal

QUICK_TIMES = {"tomorrow": "明天", "in_3_days": "3天后", "next_monday": "下周一"}


def quick_times(ctx: Ctx) -> dict[str, datetime]:
    found = {key: parse_when(text, ctx.now, ctx.tz) for key, text in QUICK_TIMES.items()}
    return {key: when for key, when in found.items() if when is not None}


async def new_deal(ctx: Ctx, args: NewArgs) -> HandlerResult:
    result = await ctx.services.deals.create(NewDeal(
        customer=args.customer, money=args.money, amount_text=args.amount_text, contact=args.contact,
        next_at=args.next_at, next_text=args.next_text, note=args.note, raw_text=args.raw,
    ))
    if result.collision is not None:
        return collision_replies(ctx, args.customer, result.collision)
    assert result.deal is not None
    deal = result.deal
    lines = [t("reply.created", ctx.locale, id=deal.id, customer=deal.customer)
             + (t("reply.created_customer", ctx.locale) if result.customer_created else "")
             + (t("reply.claimed", ctx.locale) if result.claimed_from_pool else "")]
    if args.money is not None:
        lines.append(t("reply.understood_amount", ctx.locale, amount=format_money(args.money)))
    if args.next_at is not None:
        when = format_time(args.next_at, ctx.tz, ctx.locale, ctx.now)
        lines.append(t("reply.understood_when", ctx.locale, when=when))
    if result.candidates:  # a possible or ambiguous match: never a collision, the rep decides
        lines += [t("customers.maybe", ctx.locale, customer=deal.customer),
                  *candidate_lines(ctx, result.candidates)]
    reply = deal_reply(deal, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary="\n".join(lines),
                       accent=Accent.GOOD, created_customer=result.customer_created)
    if not result.candidates or not isinstance(reply.body, Card):
        return reply
    card = reply.body
    buttons = new_customer_buttons(ctx, deal.customer_id, result.candidates)
    choices = [{"customer_id": c.customer_id, "customer": c.customer, "owner": c.owner_login, "match": c.match}
               for c in result.candidates]
    return Reply(Card(card.title, card.fallback_text, card.summary, card.fields, buttons + card.buttons[:1],
                      Accent.WARNING), data={**reply.data, "candidates": choices})


def collision_replies(ctx: Ctx, query: str, hit: CollisionView) -> list[Reply]:
    """The creator is told who owns it; the owner and the team group are warned at once."""
    loc, tz = ctx.locale, ctx.tz
    since = format_time(hit.owner_since or hit.last_activity_at, tz, loc, ctx.now)
    until = format_time(hit.protected_until, tz, loc, ctx.now)
    text = t("collision.to_creator", loc, customer=hit.customer, owner=hit.owner_name, since=since, until=until)
    ask = action("collision.ask", loc, customer=str(hit.customer_id))
    data = {"collision": True, "customer_id": hit.customer_id, "owner": hit.owner_login, "matched_by": hit.matched_by}
    creator = Reply(Card(t("collision.title", loc, customer=hit.customer), text, summary=text,
                         buttons=(Button(t("button.ask_manager", loc), ask),), accent=Accent.WARNING), data=data)
    owner_text = t("collision.to_owner", loc, creator=ctx.user.name, query=query, customer=hit.customer)
    team_text = t("collision.to_team", loc, creator=ctx.user.name, query=query, owner=hit.owner_name,
                  customer=hit.customer)
    return [
        creator,
        Reply(Text(owner_text), data=data, to=Recipient("user", hit.owner_login)),
        Reply(Text(team_text), data=data, to=Recipient("team", hit.team)),
    ]


async def log_followup(ctx: Ctx, args: LogArgs) -> HandlerResult:
    result = await ctx.services.deals.log(args.ref, args.note, args.kind, args.next_at, args.next_text, args.raw)
    deal = result.deal
    summary = t("reply.logged", ctx.locale, kind=t(f"kind.{result.kind}", ctx.locale), id=deal.id,
                customer=deal.customer)
    if args.next_at is None:
        summary += "\n" + t("reply.logged_no_next", ctx.locale)
        reply = deal_reply(deal, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary,
                           activity_id=result.activity_id)
        assert isinstance(reply.body, Card)
        choices = remind_choices(deal.id, ctx.locale, quick_times(ctx))
        card = reply.body
        return Reply(Card(card.title, card.fallback_text, card.summary, card.fields, choices + card.buttons[1:],
                          card.accent), data=reply.data)
    summary += "\n" + t("reply.logged_next", ctx.locale, when=format_time(args.next_at, ctx.tz, ctx.locale, ctx.now))
    return deal_reply(deal, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary,
                      activity_id=result.activity_id)


async def remind(ctx: Ctx, args: WhenArgs | SwitchArgs) -> HandlerResult:
    if isinstance(args, SwitchArgs):  # 提醒 关闭 日报 / remind off digest
        return await switch_reminders(ctx, args)
    return await _remind(ctx, args.ref, args.when, args.text)


async def _remind(ctx: Ctx, ref: DealRef, when: datetime, text: str | None) -> HandlerResult:
    deal = await ctx.services.deals.remind(ref, when, text)
    view = await ctx.services.queries.deal(DealRef(deal.id))
    summary = t("reply.reminded", ctx.locale, id=view.id, customer=view.customer,
                when=format_time(when, ctx.tz, ctx.locale, ctx.now))
    return deal_reply(view, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary)


async def remind_at_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    when = datetime.fromisoformat(action.args["at"])
    return await _remind(ctx, DealRef(int(action.args["id"])), when, None)


async def remind_prompt_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    view = await ctx.services.queries.deal(DealRef(int(action.args["id"])))
    text = t("reply.remind_prompt", ctx.locale, id=view.id, customer=view.customer)
    return Reply(Card(text, text, buttons=remind_choices(view.id, ctx.locale, quick_times(ctx))),
                 data={"deal_id": view.id})


async def log_prompt_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    return Reply(Text(t("reply.log_prompt", ctx.locale, id=action.args["id"])), mode=ReplyMode.EPHEMERAL,
                 data={"deal_id": int(action.args["id"])})


def register(router: Router[Ctx]) -> None:
    router.command("new", "新建", "新增", "add", args=parse_new)(new_deal)
    router.command("log", "跟进", "记录", args=parse_log)(log_followup)
    router.command("remind", "提醒", args=parse_remind_or_switch)(remind)
    router.action("deal.remind_at")(remind_at_clicked)
    router.action("deal.remind_prompt")(remind_prompt_clicked)
    router.action("deal.log_prompt")(log_prompt_clicked)
