"""Teams, users and platform links: add, list, link, and resolve a sender to a user."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from storage.dto import UserView
from storage.errors import Conflict, DomainError, NotFound
from storage.hot import HotStatement
from storage.models import Identity, Team, User
from storage.services.base import ServiceContext
from storage.services.permissions import ROLES

PLATFORMS = ("console", "slack", "wecom", "dingtalk")


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError("error.bad_tz", tz=tz) from exc


# Every inbound message resolves its sender: built once, columns only (what `to_view` reads).
_SENDER = (select(User.id, User.login, User.name, User.role, Team.id, Team.name, User.tz, Team.tz, User.locale)
           .join(Team, Team.id == User.team_id).where(User.active.is_(True)))
_BY_CONSOLE_LOGIN = HotStatement(_SENDER.where(User.login == bindparam("login")))
_BY_IDENTITY = HotStatement(_SENDER.join(Identity, Identity.user_id == User.id).where(
    Identity.platform == bindparam("platform"), Identity.platform_user_id == bindparam("platform_user_id")))


def to_view(user: User, team: Team) -> UserView:
    return UserView(user.id, user.login, user.name, user.role, team.id, team.name, user.tz or team.tz,
                    user.locale or None)


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def ensure_team(self, name: str, tz: str, locale: str = "zh-CN") -> Team:
        session = self.ctx.session
        team = await session.scalar(select(Team).where(Team.name == name))
        if team is None:
            _check_tz(tz)
            team = Team(name=name, tz=tz, locale=locale, created_at=self.ctx.now())
            session.add(team)
            await session.flush()
        return team

    async def add(self, login: str, name: str, role: str, team: str, tz: str | None, default_tz: str) -> UserView:
        if role not in ROLES:
            raise DomainError("error.bad_role", role=role)
        if tz:
            _check_tz(tz)
        session = self.ctx.session
        if await session.scalar(select(User.id).where(User.login == login)) is not None:
            raise Conflict("error.user_exists", login=login)
        team_row = await self.ensure_team(team, tz or default_tz)
        user = User(login=login, name=name, role=role, team_id=team_row.id, tz=tz, created_at=self.ctx.now())
        session.add(user)
        await session.flush()
        self.ctx.audit("user.add", "user", user.id, after={"login": login, "role": role, "team": team})
        return to_view(user, team_row)

    async def list(self) -> list[UserView]:
        rows = await self.ctx.session.execute(
            select(User, Team).join(Team, Team.id == User.team_id).order_by(Team.name, User.login)
        )
        return [to_view(u, t) for u, t in rows]

    async def by_login(self, login: str) -> UserView:
        row = (
            await self.ctx.session.execute(
                select(User, Team).join(Team, Team.id == User.team_id).where(User.login == login.lstrip("@"))
            )
        ).first()
        if row is None:
            raise NotFound("error.no_such_user", login=login)
        return to_view(*row)

    async def by_id(self, user_id: int) -> UserView:
        row = (
            await self.ctx.session.execute(
                select(User, Team).join(Team, Team.id == User.team_id).where(User.id == user_id)
            )
        ).first()
        if row is None:
            raise NotFound("error.no_such_user", login=str(user_id))
        return to_view(*row)

    async def link(self, login: str, platform: str, platform_user_id: str) -> UserView:
        if platform not in PLATFORMS:
            raise DomainError("error.bad_platform", platform=platform)
        user = await self.by_login(login)
        session = self.ctx.session
        taken = await session.scalar(
            select(Identity).where(Identity.platform == platform, Identity.platform_user_id == platform_user_id)
        )
        if taken is not None:
            if taken.user_id == user.id:
                return user
            raise Conflict("error.identity_taken", platform=platform, id=platform_user_id)
        session.add(Identity(user_id=user.id, platform=platform, platform_user_id=platform_user_id,
                             created_at=self.ctx.now()))
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("error.identity_taken", platform=platform, id=platform_user_id) from exc
        self.ctx.audit("user.link", "user", user.id, after={"platform": platform, "id": platform_user_id})
        return user

    async def resolve(self, platform: str, platform_user_id: str) -> UserView | None:
        """The user behind a platform account; on the console the account is the login itself."""
        if platform == "console":
            row = await _BY_CONSOLE_LOGIN.first(self.ctx.session, {"login": platform_user_id})
        else:
            row = await _BY_IDENTITY.first(
                self.ctx.session, {"platform": platform, "platform_user_id": platform_user_id})
        if row is None:
            return None
        user_id, login, name, role, team_id, team_name, user_tz, team_tz, locale = row
        return UserView(user_id, login, name, role, team_id, team_name, user_tz or team_tz, locale or None)
