"""CollectingSink: an in-memory ``ReminderSink`` for tests, with the calendar it would show.

>>> sink = CollectingSink()
>>> sink.open_reminders()
{}
>>> sink.fail_next(1)
>>> sink.failures_left
1
"""

from __future__ import annotations

import threading

from contactlog_core.domain.reminders.plan import ReminderRequest, last_sent

__all__ = ["CollectingSink"]


class CollectingSink:
    """Keeps every request it accepts; tell it to fail a few times to test retries.

    Like a real sink it keeps the highest ``sequence`` of each key (a lower
    one arriving late changes nothing) and is idempotent per
    ``(key, sequence)``. ``deliveries`` lists every accepted call in order,
    repeats included; ``open_reminders()`` is the calendar they leave.
    """

    def __init__(self, name: str = "collecting") -> None:
        self.name = name
        self.deliveries: list[ReminderRequest] = []
        self.failures_left = 0
        self._error: Exception = ConnectionError("CollectingSink was told to fail")
        self._lock = threading.Lock()

    def fail_next(self, times: int = 1, error: Exception | None = None) -> None:
        """Make the next ``times`` deliveries raise ``error`` (a ``ConnectionError`` by default)."""
        with self._lock:
            self.failures_left = times
            if error is not None:
                self._error = error

    def deliver(self, request: ReminderRequest) -> None:
        """Accept ``request``, or raise if told to fail (then nothing is recorded)."""
        with self._lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                raise self._error
            self.deliveries.append(request)

    def latest(self) -> dict[str, ReminderRequest]:
        """The request with the highest sequence of each key, cancellations included."""
        with self._lock:
            return last_sent(self.deliveries)

    def open_reminders(self, recipient: str | None = None) -> dict[str, ReminderRequest]:
        """The reminders a calendar would show now, by key (of one ``recipient`` if given)."""
        return {
            key: request
            for key, request in self.latest().items()
            if not request.is_cancellation and recipient in (None, request.recipient)
        }

    def delivered(self, key: str) -> list[int]:
        """The sequences delivered for ``key``, in the order they came."""
        with self._lock:
            return [r.sequence for r in self.deliveries if r.key == key]
