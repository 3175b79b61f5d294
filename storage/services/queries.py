"""Read-only answers: one deal, my deals, today's follow-ups, and who owns a customer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Integer, Select, bindparam, false, func, literal, select
from sqlalchemy.orm import aliased

from storage.dto import DealView, Money, WhoEntry
from storage.hot import HotStatement
from storage.models import Customer, Deal, FollowUp, User
from storage.pipeline import CLOSED
from storage.services.base import ServiceContext
from storage.services.customers import ContactInput, CustomerService
from storage.services.lookup import DealLookup, DealRef
from storage.services.matcher import Hit
from storage.services.permissions import can_see_details
from storage.services.pool import start_of_local_day
from storage.services.views import DealFacts, deal_view, deal_views


def _mine_statements() -> tuple[HotStatement, HotStatement, HotStatement, Select[*tuple[Any, ...]],
                                HotStatement]:
    owner: BindParameter[int] = bindparam("owner", type_=Integer)
    rows: BindParameter[int] = bindparam("rows", type_=Integer)
    # A deal whose customer went back to the pool is nobody's until it is claimed. `in_pool` is kept by
    # triggers (migration 0008), so the count reads `ix_deals_owner_pool_open` alone instead of looking
    # up the customer of every one of the rep's deals.
    # The closed stages as plain bound values, not an expanding list: the hot statements take none.
    open_mine = (Deal.owner_id == owner, Deal.in_pool == false(), Deal.stage.not_in([literal(s) for s in CLOSED]),
                 Deal.deleted_at.is_(None))
    # count(*), not count(id): PostgreSQL can then answer from the index without visiting the table.
    count = select(func.count()).select_from(Deal).where(*open_mine)
    mine_open = (FollowUp.owner_id == owner, FollowUp.status == "open")
    # The sender's open follow-ups in due order, read from `ix_followups_owner_status_due` and cut
    # short (a join with deals is estimated badly by PostgreSQL and read in full).
    by_due = (select(FollowUp.deal_id, FollowUp.due_at).where(*mine_open)
              .order_by(FollowUp.due_at).limit(rows))
    at_due = select(FollowUp.deal_id, FollowUp.due_at).where(*mine_open, FollowUp.due_at == bindparam("due"))
    # The deals as DealFacts rows, not ORM objects: 我的 only shows them (no identity map, no state).
    facts = [getattr(Deal, name) for name in DealFacts._fields]
    scheduled = select(*facts).where(Deal.id.in_(bindparam("ids", expanding=True)), *open_mine)
    has_followup = select(FollowUp.id).where(FollowUp.deal_id == Deal.id, *mine_open).exists()
    unscheduled = (select(*facts).where(*open_mine, ~has_followup)
                   .order_by(Deal.last_activity_at.desc(), Deal.id).limit(rows))
    return HotStatement(count), HotStatement(by_due), HotStatement(at_due), scheduled, HotStatement(unscheduled)


_MINE_COUNT, _MINE_BY_DUE, _MINE_AT_DUE, _MINE_SCHEDULED, _MINE_UNSCHEDULED = _mine_statements()


def _who_statement() -> Select[*tuple[Any, ...]]:
    """Per customer: its owner, and its current deal (open first, then latest activity) with the next
    open follow-up of that deal; one statement for every customer 查 lists."""
    candidate = aliased(Deal)
    current = (select(candidate.id)
               .where(candidate.customer_id == Customer.id, candidate.deleted_at.is_(None))
               .order_by(candidate.stage.in_(CLOSED), candidate.last_activity_at.desc()).limit(1)
               .correlate(Customer).scalar_subquery())
    due = (select(func.min(FollowUp.due_at)).where(FollowUp.deal_id == Deal.id, FollowUp.status == "open")
           .correlate(Deal).scalar_subquery())
    return (
        select(Customer.id, Customer.name, Customer.owner_id, Customer.last_activity_at, User.login, User.name,
               Deal.id, Deal.stage, Deal.amount, Deal.currency, Deal.owner_id, Deal.team_id, due)
        .outerjoin(User, User.id == Customer.owner_id)
        .outerjoin(Deal, Deal.id == current)
        .where(Customer.id.in_(bindparam("ids", expanding=True)), Customer.deleted_at.is_(None))
    )


_WHO = _who_statement()


class QueryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def deal(self, ref: DealRef) -> DealView:
        deal = await DealLookup(self.ctx).resolve(ref)
        return await deal_view(self.ctx, deal, self.ctx.user())

    async def mine(self, limit: int = 15) -> tuple[list[DealView], int]:
        """Open deals of the sender, overdue first, then by next follow-up (then latest activity); and
        how many in all.

        Read from the sender's open follow-ups in due order, a few at a time, so the cost does not grow
        with the rep's book; then filled up with deals that have none, latest activity first
        (`ix_deals_owner_last_activity`)."""
        user = self.ctx.user()
        session = self.ctx.session
        total = await _MINE_COUNT.scalar(session, {"owner": user.id}) or 0
        owner = {"owner": user.id}
        rows = 2 * limit
        while True:
            found = await _MINE_BY_DUE.rows(session, {**owner, "rows": rows})
            complete = len(found) < rows
            if not complete:  # the cut may fall inside a group of follow-ups due at the same instant
                found += await _MINE_AT_DUE.rows(session, {**owner, "due": found[-1][1]})
            first_due: dict[int, datetime] = {}
            for deal_id, due in sorted(found, key=lambda row: row[1]):  # a deal's earliest comes first
                first_due.setdefault(deal_id, due)
            # Every deal due up to the last instant read is known. Load whole due groups in order until
            # `limit` deals (the order inside a group is by latest activity); all of them if too few pass.
            ids = list(first_due)
            if len(ids) > limit:
                cutoff = first_due[ids[limit - 1]]
                ids = [deal_id for deal_id in ids if first_due[deal_id] <= cutoff]
            deals = await self._scheduled(owner, ids) if ids else []
            if len(deals) < limit and len(ids) < len(first_due):
                deals = await self._scheduled(owner, list(first_due))
            if complete or len(deals) >= limit:
                break
            rows *= 4
        deals.sort(key=lambda d: d.id)
        deals.sort(key=lambda d: d.last_activity_at, reverse=True)
        deals.sort(key=lambda d: first_due[d.id])
        chosen = deals[:limit]
        if len(chosen) < limit:
            chosen += [DealFacts(*row) for row in await _MINE_UNSCHEDULED.rows(
                session, {"owner": user.id, "rows": limit - len(chosen)})]
        return await deal_views(self.ctx, chosen, user), total

    async def _scheduled(self, owner: dict[str, int], ids: list[int]) -> list[DealFacts]:
        rows = await self.ctx.session.execute(_MINE_SCHEDULED, {**owner, "ids": ids})
        return [DealFacts(*row) for row in rows]

    async def today(self) -> list[DealView]:
        """Deals with a follow-up due before the end of the sender's day, overdue ones included."""
        user = self.ctx.user()
        end = start_of_local_day(self.ctx.now(), user.tz) + timedelta(days=1)
        deal_ids = list(
            await self.ctx.session.scalars(
                select(FollowUp.deal_id)
                .where(FollowUp.owner_id == user.id, FollowUp.status == "open", FollowUp.due_at < end)
                .group_by(FollowUp.deal_id)
                .order_by(func.min(FollowUp.due_at))
                .limit(30)
            )
        )
        deals = {d.id: d for d in await self.ctx.session.scalars(
            select(Deal).where(Deal.id.in_(deal_ids), Deal.deleted_at.is_(None)))}
        return await deal_views(self.ctx, [deals[i] for i in deal_ids if i in deals], user)

    async def who(self, query: str, contact: ContactInput | None = None) -> list[WhoEntry]:
        """Owner, stage, last contact and next follow-up of every customer the query points at."""
        return (await self.who_answer(query, contact))[1]

    async def who_answer(self, query: str, contact: ContactInput | None = None) -> tuple[str, list[WhoEntry]]:
        """The matcher's kind (same | possible | ambiguous | none) and an entry per customer it lists:
        possible ones keep `match="possible"`; an ambiguous short name (平安) lists every plausible one."""
        found = await CustomerService(self.ctx).lookup(query, contact)
        return found.kind, await self._entries(list(found.hits))

    async def who_by_id(self, customer_id: int) -> list[WhoEntry]:
        return await self._entries([Hit(customer_id, "same", 1.0, "id")])

    async def _entries(self, hits: list[Hit]) -> list[WhoEntry]:
        viewer = self.ctx.user()
        hits = hits[:10]
        rows = {row[0]: row for row in await self.ctx.session.execute(
            _WHO, {"ids": [hit.customer_id for hit in hits]})}
        entries = []
        for hit in hits:
            row = rows.get(hit.customer_id)
            if row is None:  # gone, or deleted
                continue
            (customer_id, name, owner_id, last_activity_at, owner_login, owner_name,
             deal_id, stage, amount, currency, deal_owner_id, deal_team_id, due) = row
            shown = deal_id is not None and can_see_details(viewer, deal_owner_id, deal_team_id)
            money = Money(amount, currency or "CNY") if shown and amount is not None else None
            entries.append(WhoEntry(
                customer_id=customer_id, customer=name, match=hit.match, score=hit.score,
                owner_login=owner_login if owner_id else None, owner_name=owner_name if owner_id else None,
                in_pool=owner_id is None, stage=stage, deal_id=deal_id, last_activity_at=last_activity_at,
                next_followup_at=due, money=money,
            ))
        return entries
