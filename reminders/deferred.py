"""Reminder cards rendered at delivery (see `reminders.render.DealsCard`): the outbox store calls
`PushRenderer.render` on the rows it has just claimed, and a preview (`dealbot tick`) renders the same
way before it prints, so what an admin previews is what a rep receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.replies import Reply, dump
from config import Settings
from reminders.render import DEALS_CARD, DealsCard
from storage.crypto import ContactCipher
from storage.dto import Actor, DealView
from storage.pipeline import Pipeline
from storage.services.base import ServiceContext
from storage.services.reminder_jobs import ReminderStore
from storage.uow import UnitOfWork

DealLoader = Callable[[Sequence[int]], Any]  # deal ids -> awaitable {id: DealView}


def rendered_payload(stored: Mapping[str, Any], reply: Reply) -> dict[str, Any]:
    """The stored row's payload with its stand-in text replaced by the rendered card (ids and keys kept)."""
    payload = dump(Reply(reply.body, reply.mode, {**stored.get("data", {}), **reply.data}, None))
    payload["to"] = stored.get("to")
    return payload


async def render_cards(payloads: Sequence[Mapping[str, Any]], load: DealLoader, pipeline: Pipeline,
                       now: datetime) -> list[Mapping[str, Any]]:
    """Every payload carrying a DealsCard rendered from the deals `load` returns; the others unchanged."""
    cards = {i: DealsCard.from_payload(p[DEALS_CARD]) for i, p in enumerate(payloads) if DEALS_CARD in p}
    if not cards:
        return list(payloads)
    views: Mapping[int, DealView] = await load(sorted({d for card in cards.values() for d in card.deal_ids}))
    out = list(payloads)
    for i, card in cards.items():
        out[i] = rendered_payload(payloads[i], card.render(views, pipeline, now))
    return out


class PushRenderer:
    """Renders claimed outbox rows; deals are read as a viewer who sees everything (the owner's own
    reminders), with contacts decrypted by the configured cipher."""

    def __init__(self, settings: Settings, cipher: ContactCipher) -> None:
        self.settings = settings
        self.cipher = cipher
        self.pipeline = Pipeline(settings.pipeline)

    async def render(self, uow: UnitOfWork, payloads: Sequence[Mapping[str, Any]],
                     now: datetime) -> list[Mapping[str, Any]]:
        ctx = ServiceContext(uow, lambda: now, Actor(None, "scheduler"), self.settings.pipeline, self.cipher)
        return await render_cards(payloads, ReminderStore(ctx).deal_views, self.pipeline, now)
