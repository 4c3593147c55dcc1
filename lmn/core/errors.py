"""Refusals with stable codes.

A `DomainError` carries one or more `Problem`s. Each code is a rule ID from
RULES.md when a rule refuses (e.g. "GEN-3"), otherwise a stable snake_case code.
Messages are plain Swedish because they are shown to users as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "field": self.field, "message": self.message}


def in_swedish(text: object) -> str:
    """A label (a lazy translation, e.g. a status's) as the Swedish the messages are
    written in, whatever language the reader has chosen."""
    with translation.override("sv"):
        return str(text)


class DomainError(Exception):
    """A business rule or validation refused the request; nothing was changed."""

    def __init__(self, *problems: Problem) -> None:
        if not problems:
            raise ValueError("DomainError needs at least one problem")
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in problems))

    @classmethod
    def single(cls, code: str, message: str, field: str | None = None) -> DomainError:
        return cls(Problem(code=code, message=message, field=field))

    @property
    def code(self) -> str:
        return self.problems[0].code


class NotFound(Exception):
    """Does not exist, or is not visible to the actor: the two answer alike."""


class PermissionDenied(Exception):
    """The actor's role may not use this function at all (403, not 404)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")
