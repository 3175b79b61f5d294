"""Answers to reminder pushes: the 推迟1天/Snooze button, and 提醒 关闭/开启 <kind> (remind off/on <kind>)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.i18n import t
from bot.core.replies import ActionRef, Reply, Text
from bot.core.router import HandlerResult, Router
from handlers.args import SwitchArgs
from handlers.context import Ctx
from handlers.format import format_time
from handlers.views import deal_reply
from storage.services import DealRef
from storage.services.reminder_prefs import ReminderPrefService

SNOOZE = timedelta(days=1)


async def snooze_clicked(ctx: Ctx, action: ActionRef) -> HandlerResult:
    """The follow-up moves to the same time tomorrow (from the click), and the deal card says so."""
    when = ctx.now + SNOOZE
    deal = await ctx.services.deals.remind(DealRef(int(action.args["id"])), when, "snooze 1d")
    view = await ctx.services.queries.deal(DealRef(deal.id))
    summary = t("reply.snoozed", ctx.locale, id=view.id, customer=view.customer,
                when=format_time(when, ctx.tz, ctx.locale, ctx.now))
    return deal_reply(view, ctx.services.pipeline, ctx.locale, ctx.tz, ctx.now, summary=summary, snoozed=True)


def _names(kinds: list[str] | tuple[str, ...], locale: str) -> str:
    sep = "、" if locale.startswith("zh") else ", "
    return sep.join(t(f"prefs.kind.{k}", locale) for k in kinds) or t("prefs.none", locale)


async def switch_reminders(ctx: Ctx, args: SwitchArgs) -> HandlerResult:
    off = await ReminderPrefService(ctx.services.ctx).set(args.kinds, args.enabled)
    text = t("reply.prefs", ctx.locale, action=t("prefs.on" if args.enabled else "prefs.off", ctx.locale),
             kinds=_names(args.kinds, ctx.locale), off=_names(off, ctx.locale))
    return Reply(Text(text), data={"reminders_off": off, "enabled": args.enabled, "kinds": list(args.kinds)})


def register(router: Router[Ctx]) -> None:
    router.action("deal.snooze")(snooze_clicked)
