"""What a transition returns beside the new state: the change, for the audit trail."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs
from pendulum import DateTime

from contactlog_core.domain.shared.ids import StaffId

__all__ = ["Change"]

T = TypeVar("T")


@attrs.frozen
class Change(Generic[T]):
    """``command`` by ``actor`` at ``at`` turned ``before`` into ``after``.

    ``before`` is ``None`` for a creation; ``actor`` is ``None`` for the host
    app's own set-up calls.
    """

    command: str
    actor: StaffId | None
    at: DateTime
    before: T | None
    after: T
