"""Resolves pushes addressed to a user or a team into one platform and its concrete address."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storage.directory import team_groups, user_accounts
from storage.uow import UnitOfWorkFactory


class AddressBook:
    """Platforms are tried in the configured order; `fallback` (the console) takes what none can."""

    def __init__(self, uow_factory: UnitOfWorkFactory, platforms: Sequence[str], fallback: str | None = None) -> None:
        self.uow_factory = uow_factory
        self.platforms = list(platforms)
        self.fallback = fallback

    async def resolve(self, target: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        kind, name = target.get("kind"), str(target.get("name", ""))
        async with self.uow_factory() as uow:
            if kind == "user":
                accounts = await user_accounts(uow, name)
                for platform in self.platforms:
                    if platform in accounts:
                        return platform, {"kind": "user", "login": name, "platform_user_id": accounts[platform]}
            elif kind == "team":
                groups = await team_groups(uow, name)
                for platform in self.platforms:
                    if platform in groups:
                        return platform, {"kind": "team", "name": name, "address": groups[platform]}
        if self.fallback is not None:
            return self.fallback, dict(target)
        return None
