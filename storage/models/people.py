"""Teams, users and the platform accounts linked to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, IdType


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    tz: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2), default="CN")
    # Per-platform group chat addresses, filled when a platform is connected.
    group_chats: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    tz: Mapped[str | None] = mapped_column(String(64), default=None)
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class Identity(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
