"""The handler context type for this bot: storage services and the acting user."""

from __future__ import annotations

from bot.core.context import HandlerContext
from storage.dto import UserView
from storage.services import Services

Ctx = HandlerContext[Services, UserView]
