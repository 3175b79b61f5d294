"""The command language: the router with every command and button action, and the help answers.

Importing the package is cheap: the command modules load when a router is built, so that
`dealbot parse` and other light commands start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.dispatch import HelpProvider
    from bot.core.router import Router
    from config import Settings
    from handlers.context import Ctx


def build_router(settings: Settings) -> Router[Ctx]:
    from bot.core.router import Router
    from handlers import customers, deals, help, pool, queries, reminder_actions, reports, stages
    from handlers.catalog import load_catalogs

    load_catalogs()
    router: Router[Ctx] = Router()
    for module in (deals, stages, queries, pool, reports, customers, help, reminder_actions):
        module.register(router)
    return router


def build_help(router: Router[Ctx]) -> HelpProvider:
    from handlers import help

    return help.build_help(router)


__all__ = ["build_help", "build_router"]
