"""Reminder messages: the deal card with log / snooze / reschedule buttons for one deal, a list card
for several (merged into one message), plain text for team groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.i18n import t
from bot.core.replies import Accent, Button, Card, Field, Reply, Text
from handlers.views import action, deal_card, deal_line
from storage.dto import DealView
from storage.pipeline import Pipeline

MAX_BUTTON_DEALS = 3  # two buttons each: WeCom template cards take at most six


def nudge_buttons(deal_id: int, locale: str, *, prefix: str = "") -> tuple[Button, ...]:
    ref = {"id": str(deal_id)}
    return (
        Button(prefix + t("button.log", locale), action("deal.log_prompt", locale, **ref), primary=True),
        Button(prefix + t("button.snooze", locale), action("deal.snooze", locale, **ref)),
        Button(prefix + t("button.reschedule", locale), action("deal.remind_prompt", locale, **ref)),
    )


def deals_reply(views: Sequence[DealView], summary: str, *, pipeline: Pipeline, locale: str, tz: str,
                now: datetime, max_lines: int, data: Mapping[str, Any], accent: Accent = Accent.WARNING) -> Reply:
    """One deal: its card with the reminder buttons. Several: one card listing them."""
    payload = {**data, "deal_ids": [v.id for v in views]}
    if len(views) == 1:
        view = views[0]
        card = deal_card(view, pipeline, locale, tz, now, summary=summary, accent=accent)
        return Reply(replace(card, buttons=nudge_buttons(view.id, locale)), data={**payload, "deal_id": view.id})
    shown = views[:max_lines]
    lines = [deal_line(v, pipeline, locale, tz, now) for v in shown]
    if len(views) > len(shown):
        lines.append(t("reminder.more", locale, count=len(views) - len(shown)))
    fields = tuple(Field(f"#{v.id}", line.partition(" ")[2]) for v, line in zip(shown, lines, strict=False))
    buttons: tuple[Button, ...] = ()
    for view in views[:MAX_BUTTON_DEALS]:
        buttons += nudge_buttons(view.id, locale, prefix=f"#{view.id} ")[:2]
    return Reply(Card(summary, "\n".join([summary, *lines]), summary=summary, fields=fields, buttons=buttons,
                      accent=accent), data=payload)


def list_text(summary: str, lines: Sequence[str], *, locale: str, max_lines: int,
              data: Mapping[str, Any]) -> Reply:
    shown = list(lines[:max_lines])
    if len(lines) > len(shown):
        shown.append(t("reminder.more", locale, count=len(lines) - len(shown)))
    return Reply(Text("\n".join([summary, *shown])), data=dict(data))
