"""ORM models; imported together so Alembic and the metadata see every table."""

from storage.models.audit import AuditEntry, InboxEvent, OutboxMessage
from storage.models.customer import Contact, Customer, CustomerAlias, CustomerKey, NotSamePair, PoolEvent
from storage.models.deal import Activity, Deal, FollowUp, StageChange
from storage.models.people import Identity, Team, User
from storage.models.reminders import ReminderMark, ReminderPref

__all__ = [
    "Activity",
    "AuditEntry",
    "Contact",
    "Customer",
    "CustomerAlias",
    "CustomerKey",
    "Deal",
    "FollowUp",
    "Identity",
    "InboxEvent",
    "NotSamePair",
    "OutboxMessage",
    "PoolEvent",
    "ReminderMark",
    "ReminderPref",
    "StageChange",
    "Team",
    "User",
]
