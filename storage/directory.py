"""Where to reach people and teams on each platform: linked accounts and team group chats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.errors import NotFound
from storage.models import Identity, Team, User
from storage.uow import UnitOfWork


async def user_accounts(uow: UnitOfWork, login: str) -> dict[str, str]:
    """platform → platform user id for every account linked to this login."""
    rows = await uow.session.execute(
        select(Identity.platform, Identity.platform_user_id).join(User, User.id == Identity.user_id)
        .where(User.login == login, User.active.is_(True))
    )
    return {platform: user_id for platform, user_id in rows}


async def team_groups(uow: UnitOfWork, team: str) -> dict[str, dict[str, Any]]:
    """platform → group chat address (chat id, channel, webhook…) for a team."""
    groups = await uow.session.scalar(select(Team.group_chats).where(Team.name == team))
    return dict(groups or {})


async def set_team_group(uow: UnitOfWork, team: str, platform: str, address: dict[str, Any]) -> None:
    row = await uow.session.scalar(select(Team).where(Team.name == team))
    if row is None:
        raise NotFound("error.no_such_team", team=team)
    row.group_chats = {**(row.group_chats or {}), platform: address}
