"""The collision rule (撞单): another rep's customer inside the protection period blocks a new deal."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.dto import CollisionView
from storage.models import Customer, Team, User
from storage.services.base import ServiceContext


def is_protected(ctx: ServiceContext, customer: Customer) -> bool:
    """Owned by someone whose last activity on it is within the protection period."""
    if customer.owner_id is None:
        return False
    return ctx.now() < customer.last_activity_at + timedelta(days=ctx.pipeline.protection_days)


async def collision_view(ctx: ServiceContext, customer: Customer, matched_by: str) -> CollisionView:
    row = (
        await ctx.session.execute(
            select(User.login, User.name, Team.name)
            .join(Team, Team.id == User.team_id)
            .where(User.id == customer.owner_id)
        )
    ).one()
    login, name, team = tuple(row)
    return CollisionView(
        customer_id=customer.id, customer=customer.name, owner_login=login, owner_name=name,
        owner_since=customer.owner_since, last_activity_at=customer.last_activity_at,
        protected_until=customer.last_activity_at + timedelta(days=ctx.pipeline.protection_days),
        matched_by=matched_by, team=team,
    )
