"""Pure card builders shared by command handlers and reminders: DTO in, neutral card out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.i18n import t
from bot.core.replies import Accent, ActionRef, Button, Card, Field, Reply
from handlers.format import decimal_text, format_money, format_time
from storage.dto import DealView
from storage.pipeline import CLOSED, Pipeline


def action(name: str, locale: str, **args: str) -> ActionRef:
    """A button's action; it carries the language of the card, so the answer to a click matches it."""
    return ActionRef(name, {**args, "lang": locale})


def deal_data(deal: DealView) -> dict[str, Any]:
    """The ids and values a deal reply is about, for scripts (`--json`) and tests."""
    return {
        "deal_id": deal.id, "customer_id": deal.customer_id, "customer": deal.customer, "stage": deal.stage,
        "owner": deal.owner_login,
        "amount": decimal_text(deal.money.amount) if deal.money else None,
        "currency": deal.money.currency if deal.money else None,
        "next_followup_at": deal.next_followup_at.isoformat() if deal.next_followup_at else None,
    }


def amount_label(deal: DealView, locale: str) -> str:
    if deal.money is not None:
        return format_money(deal.money)
    return t("card.hidden_amount" if deal.amount_hidden else "card.no_amount", locale)


def deal_buttons(deal: DealView, pipeline: Pipeline, locale: str) -> tuple[Button, ...]:
    if deal.stage in CLOSED:
        return ()
    ref = {"id": str(deal.id)}
    buttons = [Button(t("button.log", locale), action("deal.log_prompt", locale, **ref), primary=True)]
    following = pipeline.next_after(deal.stage)
    if following is not None and following not in CLOSED:
        label = t("button.move", locale, stage=pipeline.label(following, locale))
        buttons.append(Button(label, action("deal.move", locale, **ref, to=following)))
    buttons.append(Button(t("button.remind", locale), action("deal.remind_prompt", locale, **ref)))
    buttons.append(Button(t("button.won", locale), action("deal.won", locale, **ref)))
    return tuple(buttons)


def deal_card(deal: DealView, pipeline: Pipeline, locale: str, tz: str, now: datetime,
              *, summary: str | None = None, accent: Accent = Accent.NEUTRAL,
              buttons: tuple[Button, ...] | None = None) -> Card:
    """The deal's card; `buttons` replaces the usual ones (log, move on, remind, won)."""
    title = t("card.deal_title", locale, customer=deal.customer, stage=pipeline.label(deal.stage, locale),
              amount=amount_label(deal, locale))
    next_value = t("value.none", locale)
    if deal.next_followup_at is not None:
        next_value = format_time(deal.next_followup_at, tz, locale, now)
        if deal.overdue:
            next_value += t("value.overdue", locale)
    fields = [Field(t("field.id", locale), f"#{deal.id}"), Field(t("field.owner", locale), deal.owner_name),
              Field(t("field.next", locale), next_value)]
    if deal.last_note:
        fields.append(Field(t("field.last_note", locale), deal.last_note[:200]))
    if deal.contact:
        fields.append(Field(t("field.contact", locale), deal.contact))
    if deal.lost_reason:
        fields.append(Field(t("field.lost_reason", locale), deal.lost_reason))
    lines = [summary] if summary else []
    lines += [title] + [f"{f.label}: {f.value}" for f in fields]
    return Card(title=title, fallback_text="\n".join(lines), summary=summary, fields=tuple(fields),
                buttons=deal_buttons(deal, pipeline, locale) if buttons is None else buttons, accent=accent)


def deal_reply(deal: DealView, pipeline: Pipeline, locale: str, tz: str, now: datetime,
               *, summary: str | None = None, accent: Accent = Accent.NEUTRAL, **data: Any) -> Reply:
    card = deal_card(deal, pipeline, locale, tz, now, summary=summary, accent=accent)
    return Reply(card, data={**deal_data(deal), **data})


def deal_line(deal: DealView, pipeline: Pipeline, locale: str, tz: str, now: datetime) -> str:
    when = format_time(deal.next_followup_at, tz, locale, now) if deal.next_followup_at else t("value.none", locale)
    flag = t("value.overdue", locale) if deal.overdue else ""
    return (f"#{deal.id} {deal.customer} · {pipeline.label(deal.stage, locale)} · {amount_label(deal, locale)}"
            f" · {when}{flag}")


def remind_choices(deal_id: int, locale: str, at: dict[str, datetime]) -> tuple[Button, ...]:
    """Quick buttons for the next follow-up: each packs the exact instant it stands for."""
    return tuple(
        Button(t(f"button.{key}", locale), action("deal.remind_at", locale, id=str(deal_id), at=when.isoformat()))
        for key, when in at.items()
    )
