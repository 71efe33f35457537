"""The error hierarchy: one root, structured fields, messages derived from them.

Every error also subclasses the builtin that fits, so plain Python code can
catch ``LookupError`` or ``PermissionError`` without knowing this library.
Each error pickles (a worker process can send it back to its parent).
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyConflict",
    "ContactLogError",
    "InvalidTransition",
    "LockedByOther",
    "NotFound",
    "PermissionDenied",
    "StoreUnavailable",
    "ValidationError",
]


class ContactLogError(Exception):
    """Root of every error this library raises on purpose."""

    def __init__(self, *fields: object) -> None:
        # BaseException's own init keeps every field in ``args``; OSError's (reached
        # through PermissionError) would read them as errno and strerror instead.
        BaseException.__init__(self, *fields)

    def __str__(self) -> str:
        return self.message()

    def message(self) -> str:
        """The readable message, derived from the error's fields."""
        return super().__str__()


class ValidationError(ContactLogError, ValueError):
    """Input that the library refuses: ``field`` says which, ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def message(self) -> str:
        return f"invalid {self.field}: {self.reason}"


class NotFound(ContactLogError, LookupError):
    """No ``kind`` with this ``id`` exists in the caller's organisation."""

    def __init__(self, kind: str, id: str) -> None:
        super().__init__(kind, id)
        self.kind = kind
        self.id = id

    def message(self) -> str:
        return f"no {self.kind} with id {self.id!r}"


class PermissionDenied(ContactLogError, PermissionError):
    """The actor lacks ``permission`` for ``command``."""

    def __init__(self, permission: str, actor: str, command: str) -> None:
        super().__init__(permission, actor, command)
        self.permission = permission
        self.actor = actor
        self.command = command

    def message(self) -> str:
        return f"{self.command} needs the '{self.permission}' permission, which {self.actor} lacks"


class LockedByOther(ContactLogError, PermissionError):
    """The record ``log_id`` is held by staff member ``owner``; ``command`` is refused to others.

    ``owner_name`` is the holder's display name when the library knows it;
    ``kind`` says what is held (a ``"log"``, or a ``"lead"`` its owner works).
    """

    def __init__(
        self, log_id: str, owner: str, command: str, owner_name: str = "", kind: str = "log"
    ) -> None:
        super().__init__(log_id, owner, command, owner_name, kind)
        self.log_id = log_id
        self.owner = owner
        self.command = command
        self.owner_name = owner_name
        self.kind = kind

    @property
    def record_id(self) -> str:
        """The held record's id, whatever its kind."""
        return self.log_id

    def message(self) -> str:
        holder = f"{self.owner_name} ({self.owner})" if self.owner_name else self.owner
        return f"cannot {self.command} {self.kind} {self.log_id}: it is held by {holder}"


class InvalidTransition(ContactLogError, ValueError):
    """``command`` is not allowed while the record is in ``status``."""

    def __init__(self, status: str, command: str, record_id: str = "") -> None:
        super().__init__(status, command, record_id)
        self.status = status
        self.command = command
        self.record_id = record_id

    def message(self) -> str:
        which = f" {self.record_id}" if self.record_id else ""
        return f"cannot {self.command}{which} while it is {self.status}"


class ConcurrencyConflict(ContactLogError, RuntimeError):
    """A save named version ``expected`` of ``kind`` ``id``, but ``actual`` is stored.

    Someone else changed the record in between; reload and retry.
    """

    def __init__(self, kind: str, id: str, expected: int, actual: int | None) -> None:
        super().__init__(kind, id, expected, actual)
        self.kind = kind
        self.id = id
        self.expected = expected
        self.actual = actual

    def message(self) -> str:
        found = "gone" if self.actual is None else f"at version {self.actual}"
        return f"{self.kind} {self.id} changed meanwhile: expected version {self.expected}, found {found}"


class StoreUnavailable(ContactLogError, RuntimeError):
    """The store could not do ``operation`` (busy past its timeout, disk full, closed...).

    Nothing of the unit of work was kept. ``retryable`` says whether trying
    again later may succeed (a busy database) or not (a corrupt file).
    """

    def __init__(self, operation: str, reason: str, retryable: bool = False) -> None:
        super().__init__(operation, reason, retryable)
        self.operation = operation
        self.reason = reason
        self.retryable = retryable

    def message(self) -> str:
        again = " (try again)" if self.retryable else ""
        return f"the store could not {self.operation}: {self.reason}{again}"
