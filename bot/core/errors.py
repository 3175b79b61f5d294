"""Errors a handler may raise that become a translated reply instead of an apology."""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """A refusal the sender should read: `code` is an i18n key, params fill it in."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class ArgError(UserFacingError):
    """The arguments of a command could not be read; the reply shows its usage line."""

    def __init__(self, code: str = "arg.unreadable", *, part: str = "", **params: Any) -> None:
        super().__init__(code, part=part, **params)
        self.part = part


class BadAction(Exception):
    """A packed button reference that is malformed or of an unknown version."""
