"""The command language: the router with every command and button action, and the help answers."""

from __future__ import annotations

from bot.core.dispatch import HelpProvider
from bot.core.router import Router
from config import Settings
from handlers import deals, help, pool, queries, stages
from handlers.catalog import load_catalogs
from handlers.context import Ctx


def build_router(settings: Settings) -> Router[Ctx]:
    load_catalogs()
    router: Router[Ctx] = Router()
    for module in (deals, stages, queries, pool, help):
        module.register(router)
    return router


def build_help(router: Router[Ctx]) -> HelpProvider:
    return help.build_help(router)


__all__ = ["build_help", "build_router"]
