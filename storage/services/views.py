"""Turns deal rows into DealView, hiding amounts and notes from those who may not see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from storage.dto import DealView, Money, UserView
from storage.models import Activity, Contact, Customer, Deal, FollowUp, Team, User
from storage.services.base import ServiceContext
from storage.services.permissions import can_see_details


async def next_followups(ctx: ServiceContext, deal_ids: Sequence[int]) -> dict[int, datetime]:
    if not deal_ids:
        return {}
    rows = await ctx.session.execute(
        select(FollowUp.deal_id, func.min(FollowUp.due_at))
        .where(FollowUp.deal_id.in_(deal_ids), FollowUp.status == "open")
        .group_by(FollowUp.deal_id)
    )
    return {deal_id: due for deal_id, due in rows}


async def last_notes(ctx: ServiceContext, deal_ids: Sequence[int]) -> dict[int, str]:
    if not deal_ids:
        return {}
    latest = (
        select(Activity.deal_id, func.max(Activity.id).label("last_id"))
        .where(Activity.deal_id.in_(deal_ids), Activity.deleted_at.is_(None))
        .group_by(Activity.deal_id)
        .subquery()
    )
    rows = await ctx.session.execute(
        select(Activity.deal_id, Activity.note).join(latest, Activity.id == latest.c.last_id)
    )
    return {deal_id: note for deal_id, note in rows}


async def first_contacts(ctx: ServiceContext, customer_ids: Sequence[int]) -> dict[int, str]:
    if not customer_ids:
        return {}
    rows = await ctx.session.execute(
        select(Contact.customer_id, Contact.name, Contact.phone_enc)
        .where(Contact.customer_id.in_(customer_ids), Contact.erased_at.is_(None))
        .order_by(Contact.id)
    )
    found: dict[int, str] = {}
    for customer_id, name, phone_enc in rows:
        if customer_id in found:
            continue
        phone = ctx.cipher.decrypt(phone_enc) if phone_enc else ""
        found[customer_id] = " ".join(part for part in (name, phone) if part)
    return found


async def deal_views(ctx: ServiceContext, deals: Sequence[Deal], viewer: UserView) -> list[DealView]:
    """Views for many deals with a fixed number of queries, whatever their count."""
    if not deals:
        return []
    ids = [d.id for d in deals]
    rows = await ctx.session.execute(
        select(Deal.id, Customer.name, User.login, User.name, Team.name)
        .join(Customer, Customer.id == Deal.customer_id)
        .join(User, User.id == Deal.owner_id)
        .join(Team, Team.id == Deal.team_id)
        .where(Deal.id.in_(ids))
    )
    names = {row[0]: row[1:] for row in rows}
    due = await next_followups(ctx, ids)
    visible = [d for d in deals if can_see_details(viewer, d.owner_id, d.team_id)]
    notes = await last_notes(ctx, [d.id for d in visible])
    contacts = await first_contacts(ctx, [d.customer_id for d in visible])
    now = ctx.now()
    views = []
    for deal in deals:
        customer, owner_login, owner_name, team = names[deal.id]
        shown = can_see_details(viewer, deal.owner_id, deal.team_id)
        money = Money(deal.amount, deal.currency or ctx.pipeline.default_currency) if (
            shown and deal.amount is not None) else None
        next_at = due.get(deal.id)
        views.append(
            DealView(
                id=deal.id, customer_id=deal.customer_id, customer=customer, owner_login=owner_login,
                owner_name=owner_name, team=team, stage=deal.stage, money=money,
                amount_hidden=not shown and deal.amount is not None, next_followup_at=next_at,
                overdue=next_at is not None and next_at < now,
                last_note=notes.get(deal.id) if shown else None, last_activity_at=deal.last_activity_at,
                created_at=deal.created_at, lost_reason=deal.lost_reason if shown else None,
                contact=contacts.get(deal.customer_id) if shown else None,
            )
        )
    return views


async def deal_view(ctx: ServiceContext, deal: Deal, viewer: UserView) -> DealView:
    return (await deal_views(ctx, [deal], viewer))[0]
