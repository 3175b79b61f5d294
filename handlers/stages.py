"""推进/move, 赢单/won, 输单/lost and 分配/assign, from commands and from card buttons."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.replies import Accent, ActionRef, Recipient, Reply, ReplyMode, Text
from bot.core.router import HandlerResult, Router
from handlers.args import AssignArgs, LostArgs, MoveArgs, WonArgs, parse_assign, parse_lost, parse_move, parse_won
from handlers.context import Ctx
from handlers.views import amount_label, deal_reply
from storage.dto import DealView
from storage.services import DealRef


async def move(ctx: Ctx, args: MoveArgs) -> HandlerResult:
    before, deal = await ctx.services.stages.move_from(args.ref, args.stage)
    return _moved(ctx, before, deal)


def _moved(ctx: Ctx, before: str, deal: DealView, mode: ReplyMode = ReplyMode.IN_CONVERSATION) -> Reply:
    pipeline = ctx.services.pipeline
    summary = t("reply.moved", ctx.locale, id=deal.id, from_stage=pipeline.label(before, ctx.locale),
                to_stage=pipeline.label(deal.stage, ctx.locale))
    reply = deal_reply(deal, pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary, from_stage=before)
    return Reply(reply.body, mode, reply.data)


async def won(ctx: Ctx, args: WonArgs) -> HandlerResult:
    deal = await ctx.services.stages.won(args.ref, args.money)
    summary = t("reply.won", ctx.locale, id=deal.id, customer=deal.customer, amount=amount_label(deal, ctx.locale))
    return deal_reply(deal, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary, accent=Accent.GOOD)


async def lost(ctx: Ctx, args: LostArgs) -> HandlerResult:
    deal = await ctx.services.stages.lost(args.ref, args.reason)
    summary = t("reply.lost", ctx.locale, id=deal.id, customer=deal.customer, reason=args.reason)
    return deal_reply(deal, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary,
                      accent=Accent.DANGER)


async def assign(ctx: Ctx, args: AssignArgs) -> HandlerResult:
    return await _assign(ctx, args.ref, args.login)


async def _assign(ctx: Ctx, ref: DealRef, login: str) -> list[Reply]:
    result = await ctx.services.assignments.assign(ref, login)
    deal, loc = result.deal, ctx.locale
    new_owner = await ctx.services.users.by_login(result.new_owner_login)
    old_owner = await ctx.services.users.by_login(result.previous_owner_login)
    summary = t("reply.assigned", loc, id=deal.id, customer=deal.customer, from_user=old_owner.name,
                to_user=new_owner.name)
    replies = [deal_reply(deal, ctx.services.pipeline, loc, ctx.tz, ctx.now, summary=summary)]
    data = {"deal_id": deal.id, "owner": new_owner.login}
    notice = t("reply.assigned_notice", loc, actor=ctx.user.name, id=deal.id, customer=deal.customer)
    replies.append(Reply(Text(notice), data=data, to=Recipient("user", new_owner.login)))
    if old_owner.login not in (new_owner.login, ctx.user.login):
        away = t("reply.assigned_away", loc, actor=ctx.user.name, id=deal.id, customer=deal.customer,
                 to_user=new_owner.name)
        replies.append(Reply(Text(away), data=data, to=Recipient("user", old_owner.login)))
    return replies


async def move_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    ref = DealRef(int(action.args["id"]))
    before, deal = await ctx.services.stages.move_from(ref, action.args.get("to") or None)
    return _moved(ctx, before, deal, ReplyMode.UPDATE_SOURCE)


async def won_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    return await won(ctx, WonArgs(DealRef(int(action.args["id"])), None))


async def assign_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    return await _assign(ctx, DealRef(int(action.args["id"])), action.args["to"])


def register(router: Router[Ctx]) -> None:
    router.command("move", "推进", "advance", "stage", "阶段", args=parse_move)(move)
    router.command("won", "赢单", "签约", "成交", args=parse_won)(won)
    router.command("lost", "输单", "丢单", args=parse_lost)(lost)
    router.command("assign", "分配", "转给", args=parse_assign)(assign)
    router.action("deal.move")(move_clicked)
    router.action("deal.won")(won_clicked)
    router.action("deal.assign")(assign_clicked)
