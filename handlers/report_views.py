"""Pure card builders for reports (digest, weekly review, funnel): figures in, neutral card out.

Each card carries a plain text table as its fallback for surfaces without cards or images; amounts are
left out when the viewer may not see them. `*_data` give the same figures as JSON for scripts and tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.replies import Card, Field
from handlers.format import decimal_text, format_money
from storage.analytics_dto import (
    Changes,
    DealLine,
    Digest,
    Forecast,
    Funnel,
    PipelineValue,
    RepFigures,
    WeeklyReview,
)
from storage.dto import Money
from storage.pipeline import Pipeline

_CENT = Decimal("0.01")


def money_text(amounts: Iterable[Money], locale: str) -> str:
    shown = [format_money(Money(m.amount.quantize(_CENT), m.currency)) for m in amounts]
    return " + ".join(shown) if shown else "0"




def _when(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")


def _deal_line(line: DealLine, pipeline: Pipeline, locale: str, show_money: bool) -> str:
    stage = pipeline.label(line.stage, locale)
    if line.from_stage:
        stage = f"{pipeline.label(line.from_stage, locale)} → {stage}"
    parts = [f"#{line.deal_id} {line.customer}", stage, line.owner]
    if show_money and line.money is not None:
        parts.append(format_money(line.money))
    if line.reason:
        parts.append(t("report.reason", locale, reason=line.reason))
    if line.days_idle is not None:
        parts.append(t("report.idle_days", locale, days=line.days_idle))
    return " · ".join(parts)


def _section(title: str, count: int, lines: tuple[DealLine, ...], pipeline: Pipeline, locale: str,
             show_money: bool) -> list[str]:
    out = [f"{title}: {count}"]
    out += [f"  {_deal_line(line, pipeline, locale, show_money)}" for line in lines]
    if count > len(lines):
        out.append("  " + t("report.more", locale, count=count - len(lines)))
    return out


def _changes_text(changes: Changes, pipeline: Pipeline, locale: str, show_money: bool) -> list[str]:
    won_title = t("report.won", locale)
    lost_title = t("report.lost", locale)
    if show_money:
        won_title += f" ({money_text(changes.won_total, locale)})"
        lost_title += f" ({money_text(changes.lost_total, locale)})"
    return [
        *_section(t("report.new", locale), changes.new_count, changes.new, pipeline, locale, show_money),
        *_section(t("report.moves", locale), changes.moves_count, changes.moves, pipeline, locale, show_money),
        *_section(won_title, changes.won_count, changes.won, pipeline, locale, show_money),
        *_section(lost_title, changes.lost_count, changes.lost, pipeline, locale, show_money),
    ]


def reps_table(reps: tuple[RepFigures, ...], locale: str, show_money: bool) -> list[str]:
    header = [t("report.col_rep", locale), t("report.col_new", locale), t("report.col_logged", locale),
              t("report.col_overdue", locale), t("report.col_stale", locale), t("report.col_won", locale)]
    rows = [" | ".join(header)]
    for rep in reps:
        won = str(rep.won_deals)
        if show_money and rep.won:
            won += f" ({money_text(rep.won, locale)})"
        rows.append(" | ".join([rep.name, str(rep.new_deals), str(rep.followups_logged), str(rep.overdue),
                                str(rep.stale), won]))
    return rows


def funnel_table(funnel: Funnel, pipeline: Pipeline, locale: str) -> list[str]:
    header = [t("report.col_stage", locale), t("report.col_reached", locale), t("report.col_conversion", locale),
              t("report.col_median", locale)]
    rows = [" | ".join(header)]
    for stage in funnel.stages:
        conversion = stage.to_next.percent() if stage.to_next is not None else "-"
        median = f"{stage.median_days:.1f}" if stage.median_days is not None else "-"
        rows.append(" | ".join([pipeline.label(stage.stage, locale), str(stage.reached), conversion, median]))
    rows.append(t("report.win_rate_line", locale, rate=funnel.win_rate.percent(), won=funnel.won, lost=funnel.lost))
    return rows


def _pipeline_line(value: PipelineValue, locale: str) -> str:
    return t("report.pipeline_line", locale, weighted=money_text(value.weighted(), locale),
             total=money_text(value.total(), locale), deals=value.open_deals, unpriced=value.unpriced)


def _forecast_line(forecast: Forecast, locale: str) -> str:
    return t("report.forecast_line", locale, month=forecast.month, total=money_text(forecast.total(), locale),
             won=money_text(forecast.won, locale), expected=money_text(forecast.expected, locale),
             deals=forecast.expected_deals)


def _card(title: str, fields: list[Field], lines: list[str]) -> Card:
    return Card(title=title, fallback_text="\n".join([title, *lines]), fields=tuple(fields))


def digest_card(digest: Digest, team: str, pipeline: Pipeline, locale: str, tz: str, *,
                show_money: bool = True, rep_name: str | None = None) -> Card:
    """The daily digest (a team's, or one rep's own figures when `rep_name` is given)."""
    day = digest.until.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d")
    title = (t("report.digest_title_rep", locale, name=rep_name, date=day) if rep_name
             else t("report.digest_title", locale, team=team, date=day))
    changes = digest.changes
    period = t("report.period", locale, since=_when(digest.since, tz), until=_when(digest.until, tz))
    overdue = sum(r.overdue for r in digest.reps)
    lines = [period, *_changes_text(changes, pipeline, locale, show_money),
             *_section(t("report.stale", locale), digest.stale_count, digest.stale, pipeline, locale, show_money),
             "", t("report.reps_heading", locale), *reps_table(digest.reps, locale, show_money),
             "", t("report.funnel_heading", locale, days=_days(digest.funnel)),
             *funnel_table(digest.funnel, pipeline, locale)]
    fields = [Field(t("report.new", locale), str(changes.new_count)),
              Field(t("report.moves", locale), str(changes.moves_count)),
              Field(t("report.won", locale), _count_money(changes.won_count, changes.won_total, locale, show_money)),
              Field(t("report.lost", locale), _count_money(changes.lost_count, changes.lost_total, locale, show_money)),
              Field(t("report.overdue", locale), str(overdue)),
              Field(t("report.stale", locale), str(digest.stale_count)),
              Field(t("report.win_rate", locale), digest.funnel.win_rate.percent())]
    if show_money:
        lines += [_pipeline_line(digest.pipeline, locale), _forecast_line(digest.forecast, locale)]
        fields += [Field(t("report.weighted", locale), money_text(digest.pipeline.weighted(), locale)),
                   Field(t("report.forecast", locale, month=digest.forecast.month),
                         money_text(digest.forecast.total(), locale))]
    return _card(title, fields, lines)


def weekly_card(review: WeeklyReview, team: str, pipeline: Pipeline, locale: str, tz: str) -> Card:
    iso = review.week_start.isocalendar()
    last_day = review.until.astimezone(ZoneInfo(tz)).date() - timedelta(days=1)
    title = t("report.weekly_title", locale, team=team, week=iso.week, year=iso.year,
              start=f"{review.week_start:%m-%d}", end=f"{last_day:%m-%d}")
    flow = [t("report.flow_line", locale, stage=pipeline.label(f.stage, locale), entered=f.entered,
              before=f.entered_before) for f in review.flow]
    lines = [t("report.reps_heading", locale), *reps_table(review.reps, locale, True),
             "", t("report.flow_heading", locale), *flow,
             "", *_changes_text(review.changes, pipeline, locale, True),
             "", t("report.funnel_heading", locale, days=_days(review.funnel)),
             *funnel_table(review.funnel, pipeline, locale), _pipeline_line(review.pipeline, locale)]
    changes = review.changes
    fields = [Field(t("report.new", locale), str(changes.new_count)),
              Field(t("report.moves", locale), str(changes.moves_count)),
              Field(t("report.won", locale), _count_money(changes.won_count, changes.won_total, locale, True)),
              Field(t("report.lost", locale), _count_money(changes.lost_count, changes.lost_total, locale, True)),
              Field(t("report.win_rate", locale), review.funnel.win_rate.percent()),
              Field(t("report.weighted", locale), money_text(review.pipeline.weighted(), locale))]
    return _card(title, fields, lines)


def funnel_card(funnel: Funnel, value: PipelineValue | None, whose: str, pipeline: Pipeline, locale: str) -> Card:
    """漏斗/funnel: counts, conversion and time per stage; weighted pipeline when `value` may be shown."""
    title = t("report.funnel_title", locale, whose=whose, days=_days(funnel))
    fields = [Field(pipeline.label(s.stage, locale),
                    t("report.funnel_field", locale, reached=s.reached,
                      conversion=s.to_next.percent() if s.to_next is not None else "-"))
              for s in funnel.stages]
    fields.append(Field(t("report.win_rate", locale), funnel.win_rate.percent()))
    lines = funnel_table(funnel, pipeline, locale)
    if value is not None:
        fields.append(Field(t("report.weighted", locale), money_text(value.weighted(), locale)))
        lines.append(_pipeline_line(value, locale))
    return _card(title, fields, lines)


def funnel_data(funnel: Funnel) -> dict[str, Any]:
    return {
        "since": funnel.since.isoformat(), "until": funnel.until.isoformat(),
        "stages": [{"stage": s.stage, "reached": s.reached, "median_days": s.median_days,
                    "to_next": [s.to_next.num, s.to_next.den] if s.to_next is not None else None}
                   for s in funnel.stages],
        "won": funnel.won, "lost": funnel.lost, "win_rate": [funnel.win_rate.num, funnel.win_rate.den],
    }


def money_data(amounts: Iterable[Money]) -> dict[str, str]:
    return {m.currency: decimal_text(m.amount) for m in amounts}


def digest_data(digest: Digest, show_money: bool = True) -> dict[str, Any]:
    changes = digest.changes
    data: dict[str, Any] = {
        "since": digest.since.isoformat(), "until": digest.until.isoformat(),
        "new": changes.new_count, "moves": changes.moves_count, "won": changes.won_count,
        "lost": changes.lost_count, "lost_reasons": [line.reason for line in changes.lost],
        "stale": digest.stale_count, "funnel": funnel_data(digest.funnel),
        "reps": {r.login: {"new": r.new_deals, "logged": r.followups_logged, "overdue": r.overdue,
                           "stale": r.stale, "won": r.won_deals} for r in digest.reps},
    }
    if show_money:
        data |= {"won_total": money_data(changes.won_total), "lost_total": money_data(changes.lost_total),
                 "weighted": money_data(digest.pipeline.weighted()), "forecast": money_data(digest.forecast.total()),
                 "forecast_won": money_data(digest.forecast.won),
                 "forecast_expected": money_data(digest.forecast.expected)}
    return data


def weekly_data(review: WeeklyReview) -> dict[str, Any]:
    return {
        "week_start": review.week_start.isoformat(),
        "flow": {f.stage: [f.entered, f.entered_before] for f in review.flow},
        "reps": {r.login: {"new": r.new_deals, "logged": r.followups_logged, "overdue": r.overdue,
                           "won": r.won_deals, "won_amount": money_data(r.won)} for r in review.reps},
        "won": review.changes.won_count, "lost": review.changes.lost_count,
        "funnel": funnel_data(review.funnel), "weighted": money_data(review.pipeline.weighted()),
    }


def _count_money(count: int, total: tuple[Money, ...], locale: str, show_money: bool) -> str:
    return f"{count} · {money_text(total, locale)}" if show_money and total else str(count)


def _days(funnel: Funnel) -> int:
    return max(0, (funnel.until - funnel.since).days - 1)
