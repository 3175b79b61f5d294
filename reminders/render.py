"""Reminder messages: the deal card with log / snooze / reschedule buttons for one deal, a list card
for several (merged into one message), plain text for team groups.

A reminder about deals is stored as a `DealsCard` (which deals, the summary line, the language) and
rendered when it is delivered, from the deals as they are then: a tick that finds 10,000 due follow-ups
writes 10,000 small rows instead of loading and rendering 10,000 deals, and a reminder held back by
quiet hours shows the deal's state when it arrives, not when it was planned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
        card = deal_card(view, pipeline, locale, tz, now, summary=summary, accent=accent,
                         buttons=nudge_buttons(view.id, locale))
        return Reply(card, data={**payload, "deal_id": view.id})
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


DEALS_CARD = "deals_card"  # the payload key that marks a stored reminder as rendered at delivery


@dataclass(frozen=True, slots=True)
class DealsCard:
    """A reminder about deals, to be rendered with `deals_reply` when it is sent."""

    deal_ids: tuple[int, ...]
    summary: str
    locale: str
    tz: str
    max_lines: int
    data: Mapping[str, Any]

    @property
    def text(self) -> str:
        """The stand-in text stored with it (what `outbox list` shows, and sent if it cannot be rendered)."""
        return "\n".join([self.summary, " ".join(f"#{i}" for i in self.deal_ids[: self.max_lines])])

    def as_payload(self) -> dict[str, Any]:
        return {"deal_ids": list(self.deal_ids), "summary": self.summary, "locale": self.locale, "tz": self.tz,
                "max_lines": self.max_lines, "data": dict(self.data)}

    @classmethod
    def from_payload(cls, raw: Mapping[str, Any]) -> DealsCard:
        return cls(tuple(int(i) for i in raw["deal_ids"]), str(raw["summary"]), str(raw["locale"]), str(raw["tz"]),
                   int(raw["max_lines"]), dict(raw.get("data") or {}))

    def render(self, views: Mapping[int, DealView], pipeline: Pipeline, now: datetime) -> Reply:
        shown = [views[i] for i in self.deal_ids if i in views]  # a deal deleted since is left out
        return deals_reply(shown, self.summary, pipeline=pipeline, locale=self.locale, tz=self.tz, now=now,
                           max_lines=self.max_lines, data=self.data)


def list_text(summary: str, lines: Sequence[str], *, locale: str, max_lines: int,
              data: Mapping[str, Any]) -> Reply:
    shown = list(lines[:max_lines])
    if len(lines) > len(shown):
        shown.append(t("reminder.more", locale, count=len(lines) - len(shown)))
    return Reply(Text("\n".join([summary, *shown])), data=dict(data))
