"""Domain errors with stable codes; the web and API layers translate them, never invent them."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule of the domain refused the change. ``code`` is stable; ``message`` is for people."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_validation_error(self) -> ValidationError:
        if self.field:
            return ValidationError({self.field: ValidationError(self.message, code=self.code)})
        return ValidationError(self.message, code=self.code)


class StaleVersionError(DomainError):
    """Someone else saved the record after this edit began: refuse rather than lose their work."""

    code = "stale_version"

    def __init__(self, *, expected: int, current: int, label: str) -> None:
        super().__init__(
            f"This {label} was changed by someone else while you were editing it "
            f"(you edited version {expected}, it is now at version {current}). "
            "Reload it, then apply your changes again.",
            field="version",
        )
        self.expected = expected
        self.current = current


class DuplicateError(DomainError):
    code = "duplicate"


class TransitionError(DomainError):
    code = "invalid_transition"
