"""Turns deal rows into DealView, hiding amounts and notes from those who may not see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from storage.dto import DealView, Money, UserView
from storage.hot import HotStatement
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


class DealFacts(NamedTuple):
    """The deal columns a view needs: an ORM Deal has them all, and `deal_views_by_id` reads them directly."""

    id: int
    customer_id: int
    owner_id: int
    team_id: int
    stage: str
    amount: Decimal | None
    currency: str | None
    last_activity_at: datetime
    created_at: datetime
    lost_reason: str | None


def _views_query(*deal_columns: Any) -> Select[*tuple[Any, ...]]:
    """Names, next open follow-up, last note and first live contact of each deal, in one statement
    (followed by `deal_columns`, when the deals are read by id)."""
    due = (select(func.min(FollowUp.due_at)).where(FollowUp.deal_id == Deal.id, FollowUp.status == "open")
           .correlate(Deal).scalar_subquery())
    note = (select(Activity.note).where(Activity.deal_id == Deal.id, Activity.deleted_at.is_(None))
            .order_by(Activity.id.desc()).limit(1).correlate(Deal).scalar_subquery())
    live = aliased(Contact)
    first_contact = (select(func.min(live.id))
                     .where(live.customer_id == Deal.customer_id, live.erased_at.is_(None))
                     .correlate(Deal).scalar_subquery())
    return (
        select(Deal.id, Customer.name, User.login, User.name, Team.name, due, note, Contact.id, Contact.name,
               Contact.phone_enc, *deal_columns)
        .join(Customer, Customer.id == Deal.customer_id)
        .join(User, User.id == Deal.owner_id)
        .join(Team, Team.id == Deal.team_id)
        .outerjoin(Contact, Contact.id == first_contact)
    )


# Built once: statement building and its cache key cost more than running it.
_VIEWS = _views_query().where(Deal.id.in_(bindparam("ids", expanding=True)))
_VIEW_ONE = HotStatement(_views_query().where(Deal.id == bindparam("id")))  # every command's card: one deal
_VIEWS_BY_ID = (_views_query(*(getattr(Deal, name) for name in DealFacts._fields))
                .where(Deal.id.in_(bindparam("ids", expanding=True))).order_by(Deal.id))
_DETAILS = slice(0, 10)  # the columns of _VIEWS; _VIEWS_BY_ID adds the DealFacts after them


async def deal_views(ctx: ServiceContext, deals: Sequence[Deal | DealFacts], viewer: UserView) -> list[DealView]:
    """Views for many deals in one query, whatever their count."""
    if not deals:
        return []
    if len(deals) == 1:
        rows: Sequence[Sequence[Any]] = await _VIEW_ONE.rows(ctx.session, {"id": deals[0].id})
    else:
        rows = list(await ctx.session.execute(_VIEWS, {"ids": [d.id for d in deals]}))
    return _build(ctx, deals, [row[_DETAILS] for row in rows], viewer)


async def deal_views_by_id(ctx: ServiceContext, deal_ids: Sequence[int], viewer: UserView) -> list[DealView]:
    """Views of the deals with these ids (as stored; in id order), in one query and without ORM objects:
    for the scheduler, which shows thousands of deals it has not loaded."""
    if not deal_ids:
        return []
    rows = list(await ctx.session.execute(_VIEWS_BY_ID, {"ids": list(deal_ids)}))
    facts = [DealFacts(*row[_DETAILS.stop :]) for row in rows]
    return _build(ctx, facts, [row[_DETAILS] for row in rows], viewer)


def _build(ctx: ServiceContext, deals: Sequence[Deal | DealFacts], details: Sequence[Sequence[Any]],
           viewer: UserView) -> list[DealView]:
    visible = {d.id for d in deals if can_see_details(viewer, d.owner_id, d.team_id)}
    names: dict[int, tuple[str, str, str, str]] = {}
    due: dict[int, datetime] = {}
    notes: dict[int, str] = {}
    contacts: dict[int, str] = {}
    for deal_id, customer, login, owner_name, team, next_due, note, contact_id, name, phone_enc in details:
        names[deal_id] = (customer, login, owner_name, team)
        if next_due is not None:
            due[deal_id] = next_due
        if deal_id not in visible:  # hidden details are never decrypted
            continue
        if note is not None:
            notes[deal_id] = note
        if contact_id is not None:
            phone = ctx.cipher.decrypt(phone_enc) if phone_enc else ""
            contacts[deal_id] = " ".join(part for part in (name, phone) if part)
    now = ctx.now()
    views = []
    for deal in deals:
        customer, owner_login, owner_name, team = names[deal.id]
        shown = deal.id in visible
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
                contact=contacts.get(deal.id) if shown else None,
            )
        )
    return views


async def deal_view(ctx: ServiceContext, deal: Deal, viewer: UserView) -> DealView:
    return (await deal_views(ctx, [deal], viewer))[0]
