"""Who may see and change what: reps their own, managers their team, admins everything."""

from __future__ import annotations

from storage.dto import UserView
from storage.errors import NotAllowed

REP, MANAGER, ADMIN = "rep", "manager", "admin"
ROLES = (REP, MANAGER, ADMIN)


def can_see_details(viewer: UserView, owner_id: int, team_id: int) -> bool:
    """Amounts, notes and contacts of a deal or customer."""
    if viewer.role == ADMIN or viewer.id == owner_id:
        return True
    return viewer.role == MANAGER and viewer.team_id == team_id


def require_change(actor: UserView, owner_id: int, team_id: int) -> None:
    if not can_see_details(actor, owner_id, team_id):
        raise NotAllowed("error.not_yours", who="owner_or_manager")


def require_manager(actor: UserView, team_id: int) -> None:
    if actor.role == ADMIN or (actor.role == MANAGER and actor.team_id == team_id):
        return
    raise NotAllowed("error.managers_only", who="manager")


def require_admin(actor: UserView) -> None:
    if actor.role != ADMIN:
        raise NotAllowed("error.admins_only", who="admin")
