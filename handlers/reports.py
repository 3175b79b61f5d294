"""漏斗/funnel [mine|team] and 日报/digest: the report figures on demand, as a card plus a chart image.

Reps see their own figures; for their team they see counts and conversion but no amounts. Managers
and admins see their team with amounts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.core.errors import ArgError
from bot.core.i18n import t
from bot.core.replies import Reply
from bot.core.router import HandlerResult, Router
from handlers.context import Ctx
from handlers.report_views import digest_card, digest_data, funnel_card, funnel_data, money_data
from storage.analytics_dto import Funnel, Scope, TeamInfo
from storage.services.analytics import AnalyticsService
from storage.services.analytics_periods import funnel_window, last_digest_at

log = logging.getLogger(__name__)

_MINE = ("mine", "my", "me", "我的", "我", "个人", "自己")
_TEAM = ("team", "all", "团队", "全组", "全部", "小组")
_MANAGERS = ("manager", "admin")


@dataclass(frozen=True, slots=True)
class ScopeArgs:
    team: bool | None  # None: the default for the sender's role


def parse_scope(raw: str, ctx: Ctx) -> ScopeArgs:
    word = raw.strip().casefold()
    if not word:
        return ScopeArgs(None)
    if word in _MINE:
        return ScopeArgs(False)
    if word in _TEAM:
        return ScopeArgs(True)
    raise ArgError("arg.funnel_scope", part=raw.strip(), text=raw.strip())


def _analytics(ctx: Ctx) -> AnalyticsService:
    return AnalyticsService(ctx.services.ctx)


async def _chart(funnel: Funnel, ctx: Ctx) -> str | None:
    # The chart module is shared with the scheduled digests; it loads matplotlib on first use.
    from reminders.charts import funnel_chart_b64

    return await funnel_chart_b64(funnel, ctx.services.pipeline, ctx.locale)


async def funnel(ctx: Ctx, args: ScopeArgs) -> HandlerResult:
    user, manager = ctx.user, ctx.user.role in _MANAGERS
    team = manager if args.team is None else args.team
    scope = Scope(user.team_id, None if team else user.id)
    analytics = _analytics(ctx)
    since, until = funnel_window(ctx.now, ctx.tz)
    figures = await analytics.funnel(scope, since, until)
    show_money = manager or not team
    value = await analytics.pipeline_value(scope) if show_money else None
    whose = t("report.whose_team", ctx.locale, team=user.team) if team else t("report.whose_mine", ctx.locale)
    card = funnel_card(figures, value, whose, ctx.services.pipeline, ctx.locale)
    data: dict[str, object] = {"scope": "team" if team else "mine", "funnel": funnel_data(figures)}
    if value is not None:
        data["weighted"] = money_data(value.weighted())
    else:
        card = replace(card, fallback_text=card.fallback_text + "\n" + t("report.amounts_hidden", ctx.locale))
    image = await _chart(figures, ctx)
    if image is not None:
        data["image_png_b64"] = image
    return Reply(card, data=data)


async def digest(ctx: Ctx, args: ScopeArgs) -> HandlerResult:
    """Managers get their team's digest since the last scheduled one; reps get their own figures."""
    user, manager = ctx.user, ctx.user.role in _MANAGERS
    team = manager if args.team is None else (args.team and manager)
    scope = Scope(user.team_id, None if team else user.id)
    info = TeamInfo(user.team_id, user.team, ctx.tz, ctx.locale, "CN")
    since = last_digest_at(info, ctx.now)
    figures = await _analytics(ctx).digest(scope, since, ctx.now, ctx.tz)
    card = digest_card(figures, user.team, ctx.services.pipeline, ctx.locale, ctx.tz,
                       rep_name=None if team else user.name)
    data = {"scope": "team" if team else "mine", **digest_data(figures)}
    image = await _chart(figures.funnel, ctx)
    if image is not None:
        data["image_png_b64"] = image
    return Reply(card, data=data)


def register(router: Router[Ctx]) -> None:
    router.command("funnel", "漏斗", "转化", args=parse_scope)(funnel)
    router.command("digest", "日报", "简报", "report", args=parse_scope)(digest)
