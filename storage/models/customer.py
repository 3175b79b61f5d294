"""Customers (one company each), their aliases, match keys, contacts and pool history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, IdType


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_owner_last_activity", "owner_id", "last_activity_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(40), default=None)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    # NULL owner means the customer is in the public pool (公海).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    owner_since: Mapped[datetime | None] = mapped_column(default=None)
    last_activity_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # The matcher's parsed form of name + aliases + city (storage.matching.stored_profile); NULL: parse it
    match_profile: Mapped[str | None] = mapped_column(Text, default=None)


class CustomerAlias(Base):
    __tablename__ = "customer_aliases"
    __table_args__ = (UniqueConstraint("customer_id", "alias"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))


class CustomerKey(Base):
    """The (kind, key) pairs a customer is found by: normalized names, phones, e-mail domains."""

    __tablename__ = "customer_keys"
    __table_args__ = (
        Index("ix_customer_keys_kind_key", "kind", "key"),
        UniqueConstraint("customer_id", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))


class NotSamePair(Base):
    """A rep said this typed name is not that customer: never asked again."""

    __tablename__ = "not_same_pairs"
    __table_args__ = (UniqueConstraint("query_key", "customer_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    query_key: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime]


class Contact(Base):
    """A person at a customer; phone and e-mail encrypted at rest, found by keyed hash."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(80), default=None)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    phone_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    email_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    created_at: Mapped[datetime]
    erased_at: Mapped[datetime | None] = mapped_column(default=None)


class PoolEvent(Base):
    """Claims, releases and returns of pool customers: the claim cap and reclaim cooldown read this."""

    __tablename__ = "pool_events"
    __table_args__ = (Index("ix_pool_events_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    kind: Mapped[str] = mapped_column(String(16))  # claim | release | return
    at: Mapped[datetime]
