"""The domain API that handlers and reminders call; services never commit (the caller does)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from config import PipelineSettings
from storage.crypto import ContactCipher
from storage.dto import Actor
from storage.pipeline import Pipeline
from storage.services.assign import AssignService
from storage.services.base import ServiceContext
from storage.services.confirm import ConfirmService
from storage.services.customers import ContactInput, CustomerService
from storage.services.deals import DealService, NewDeal
from storage.services.exports import ExportService
from storage.services.lookup import DealRef
from storage.services.pool import PoolService
from storage.services.queries import QueryService
from storage.services.stages import StageService
from storage.services.undo import UndoService
from storage.services.users import UserService
from storage.uow import UnitOfWork

__all__ = ["ContactInput", "DealRef", "NewDeal", "Services"]


class Services:
    """One facade per unit of work and actor: `services.deals.create(...)` and so on."""

    def __init__(self, uow: UnitOfWork, clock: Callable[[], datetime], actor: Actor,
                 pipeline: PipelineSettings, cipher: ContactCipher) -> None:
        self.ctx = ServiceContext(uow, clock, actor, pipeline, cipher)
        self.pipeline = Pipeline(pipeline)
        self.users = UserService(self.ctx)
        self.customers = CustomerService(self.ctx)
        self.confirm = ConfirmService(self.ctx)
        self.deals = DealService(self.ctx)
        self.stages = StageService(self.ctx)
        self.assignments = AssignService(self.ctx)
        self.queries = QueryService(self.ctx)
        self.pool = PoolService(self.ctx)
        self.undo = UndoService(self.ctx)
        self.exports = ExportService(self.ctx)

    def as_actor(self, actor: Actor) -> Services:
        """The same unit of work, acting for someone else (after the sender is resolved)."""
        return Services(self.ctx.uow, self.ctx.clock, actor, self.ctx.pipeline, self.ctx.cipher)
