"""Domain errors raised by services; handlers map each code to a translated reply."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no: `code` names the rule (an i18n key), params fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class Conflict(DomainError):
    pass
