"""Answers to "是同一家吗?": merge a just-created customer into the one it really is (the collision rule
runs again), learn a typed name as an alias, or remember "不是" so the question is never asked twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update

from storage.dto import CollisionView, MatchCandidate
from storage.errors import NotAllowed, NotFound
from storage.models import Contact, Customer, CustomerAlias, Deal, User
from storage.services.base import ServiceContext
from storage.services.collisions import collision_view, is_protected
from storage.services.customers import CustomerService
from storage.services.matcher import Hit
from storage.services.pool import PoolService
from storage.services.snapshots import customer_snapshot


@dataclass(frozen=True, slots=True)
class MergeResult:
    """`collision` set: the target is another rep's protected customer, so the rep's deal was withdrawn."""

    customer_id: int
    customer: str
    deal_ids: tuple[int, ...] = ()
    collision: CollisionView | None = None


async def match_candidates(ctx: ServiceContext, hits: Sequence[Hit], limit: int = 8) -> tuple[MatchCandidate, ...]:
    """Names and owners of the customers an answer lists, in its order (one query)."""
    ids = [h.customer_id for h in hits[:limit]]
    rows = {row[0]: row for row in (await ctx.session.execute(
        select(Customer.id, Customer.name, User.login, User.name).outerjoin(User, User.id == Customer.owner_id)
        .where(Customer.id.in_(ids), Customer.deleted_at.is_(None)))).all()}
    return tuple(MatchCandidate(h.customer_id, rows[h.customer_id][1], h.match, h.score,
                                rows[h.customer_id][2], rows[h.customer_id][3])
                 for h in hits[:limit] if h.customer_id in rows)


class ConfirmService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.customers = CustomerService(ctx)

    async def _own_new(self, customer_id: int) -> Customer:
        user = self.ctx.user()
        customer = await self.customers.get(customer_id, for_update=True)
        if customer is None:
            raise NotFound("error.no_such_customer", id=customer_id)
        if customer.created_by != user.id and user.role != "admin" and not (
                user.role == "manager" and user.team_id == customer.team_id):
            raise NotAllowed("customers.not_yours")
        return customer

    async def merge(self, source_id: int, target_id: int) -> MergeResult:
        """The customer made from a typed name is `target`: its deals, contacts and names move there."""
        user, now = self.ctx.user(), self.ctx.now()
        source = await self._own_new(source_id)
        target = await self.customers.get(target_id, for_update=True)
        if target is None or target.id == source.id:
            raise NotFound("error.no_such_customer", id=target_id)
        names = [source.name, *await self.customers.aliases(source.id)]
        deal_ids = tuple(await self.ctx.session.scalars(
            select(Deal.id).where(Deal.customer_id == source.id, Deal.deleted_at.is_(None)).order_by(Deal.id)))
        before = {"source": customer_snapshot(source), "target": customer_snapshot(target), "deals": deal_ids}
        await self.customers.add_aliases(target.id, names)
        if target.owner_id not in (None, user.id) and is_protected(self.ctx, target):
            # 撞单 after all: the deal is withdrawn, as if it had been refused when it was created.
            await self.ctx.session.execute(update(Deal).where(Deal.id.in_(deal_ids)).values(deleted_at=now))
            await self._retire(source, target)
            collision = await collision_view(self.ctx, target, "name")
            self.ctx.audit("customer.merge_collision", "customer", target.id, before=before,
                           after={"source_id": source.id, "owner_login": collision.owner_login})
            return MergeResult(target.id, target.name, deal_ids, collision)
        if target.owner_id is None:
            await PoolService(self.ctx).take(target)
        elif target.owner_id != user.id:  # owned, but the owner let the protection period lapse
            target.owner_id, target.owner_since = user.id, now
        await self.ctx.session.execute(update(Deal).where(Deal.id.in_(deal_ids)).values(customer_id=target.id))
        await self.ctx.session.execute(
            update(Contact).where(Contact.customer_id == source.id).values(customer_id=target.id))
        target.last_activity_at = now
        await self._retire(source, target)
        await self.customers.matcher.index_contacts(target.id)
        self.ctx.audit("customer.merge", "customer", target.id, before=before,
                       after={"source_id": source.id, "aliases": names, "deals": deal_ids})
        return MergeResult(target.id, target.name, deal_ids)

    async def _retire(self, source: Customer, target: Customer) -> None:
        source.deleted_at = self.ctx.now()
        await self.ctx.session.execute(
            update(CustomerAlias).where(CustomerAlias.customer_id == source.id).values(customer_id=target.id)
            .execution_options(synchronize_session=False))
        await self.customers.matcher.drop_keys(source.id)
        await self.ctx.session.flush()
        await self.customers.matcher.index_names(target.id)

    async def learn_alias(self, query: str, target_id: int) -> list[str]:
        """A rep confirmed that what they typed in 查 is this customer: it becomes an alias."""
        self.ctx.user()
        target = await self.customers.get(target_id)
        if target is None:
            raise NotFound("error.no_such_customer", id=target_id)
        added = await self.customers.add_aliases(target.id, [query])
        if added:
            self.ctx.audit("customer.alias", "customer", target.id, after={"aliases": added})
        return added

    async def not_same(self, query: str, customer_ids: Sequence[int]) -> int:
        """Remember "不是": `query` is never proposed as these customers again. Returns how many were new."""
        self.ctx.user()
        added = 0
        for customer_id in customer_ids:
            added += await self.customers.matcher.remember_not_same(query, customer_id)
        if added:
            self.ctx.audit("customer.not_same", "customer", None, after={"query": query, "ids": list(customer_ids)})
        return added

    async def not_same_for_new(self, source_id: int, customer_ids: Sequence[int]) -> tuple[str, int]:
        """"不是" on the card of a deal created for a new customer: its typed name is not those customers."""
        source = await self._own_new(source_id)
        return source.name, await self.not_same(source.name, customer_ids)
