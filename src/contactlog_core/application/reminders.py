"""``app.reminders``: follow-ups become calendar reminders, through an outbox and a sink.

Every log save asks ``domain.reminders.plan.plan_reminders`` what the change
means for the log's reminders and writes the answer to the outbox in the
same unit of work (``enqueue_reminders``). ``deliver`` then hands each
pending request to a ``ReminderSink`` outside any transaction, so a slow
calendar never holds the store's write lock, and marks it delivered only
after the sink returned: a crash in between leaves it pending, and the next
run sends it again under the same key and sequence, which a sink ignores
when it already has it. A failure is retried later, each time after a
longer wait.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs
from pendulum import DateTime

from contactlog_core.application.context import Context
from contactlog_core.domain.logs.model import ContactLog
from contactlog_core.domain.reminders.plan import plan_reminders
from contactlog_core.domain.shared.paging import whole_number
from contactlog_core.errors import ValidationError
from contactlog_core.ports import OutboxEntry, ReminderSink, UnitOfWork

__all__ = [
    "FIRST_RETRY",
    "LAST_RETRY",
    "DeliveryReport",
    "ReminderService",
    "enqueue_reminders",
    "retry_delay",
]

FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(hours=6)
MAX_BATCH = 10_000
MAX_ERROR = 500  # characters of a sink's error message kept with the request


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4... minutes, at most 6 hours."""
    wait: dt.timedelta = FIRST_RETRY * (1 << min(attempts, 20))
    return min(wait, LAST_RETRY)


def enqueue_reminders(
    uow: UnitOfWork, before: ContactLog | None, after: ContactLog, now: DateTime
) -> None:
    """Write the reminder requests that the change from ``before`` to ``after`` calls for."""
    org = uow.organisations.get(after.org_id)
    if not org.reminders.enabled:
        return
    sent = uow.reminders.last_sent(after.org_id, after.id)
    requests = plan_reminders(before, after, org.reminders, timezone=org.timezone, sent=sent)
    if requests:
        uow.reminders.enqueue(requests, at=now)


@attrs.frozen
class DeliveryReport:
    """What one ``deliver`` run did for one sink."""

    sink: str
    delivered: int
    failed: int
    pending: int
    errors: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for a cron job's log."""
        return (
            f"sink {self.sink}: {self.delivered} delivered, {self.failed} failed "
            f"(retried later), {self.pending} pending"
        )


def _latest_per_key(entries: Iterable[OutboxEntry]) -> list[OutboxEntry]:
    # A reminder created and already changed again needs only its latest request: the
    # sink never sees an appointment appear that is cancelled a moment later.
    latest: dict[str, OutboxEntry] = {}
    for entry in entries:
        held = latest.get(entry.request.key)
        if held is None or entry.request.sequence > held.request.sequence:
            latest[entry.request.key] = entry
    return sorted(latest.values(), key=lambda e: e.id)


class ReminderService:
    """Hand reminder requests to sinks, at least once, without ever duplicating a reminder."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def deliver(
        self,
        sink: ReminderSink,
        *,
        batch: int = 100,
        progress: Callable[[int, int], None] | None = None,
    ) -> DeliveryReport:
        """Deliver every request for ``sink`` (by its ``name``) that is due now.

        Requests are read ``batch`` at a time, oldest first; of several
        waiting for one reminder only the latest is sent (delivering it marks
        the older ones done). ``progress``
        gets the running counts of delivered and failed requests after each.
        A request whose sink raised waits ``retry_delay(attempts)`` before
        it is due again; this run does not retry it.
        """
        size = whole_number(batch, "batch", MAX_BATCH)
        name = getattr(sink, "name", None)
        if not isinstance(name, str) or not callable(getattr(sink, "deliver", None)):
            raise ValidationError("sink", "expected a ReminderSink (a name and deliver())")
        if progress is not None and not callable(progress):
            raise ValidationError("progress", "expected a callable or None")
        delivered = failed = 0
        errors: list[str] = []
        tried: set[int] = set()
        while True:
            now = self._ctx.clock.now()
            with self._ctx.store.unit_of_work(read_only=True) as uow:
                due = _latest_per_key(
                    e for e in uow.reminders.due(name, now, size) if e.id not in tried
                )
            if not due:
                break
            for entry in due:
                tried.add(entry.id)
                error = self._hand_over(sink, entry)
                if error is None:
                    delivered += 1
                else:
                    failed += 1
                    errors.append(error)
                if progress is not None:
                    progress(delivered, failed)
        with self._ctx.store.unit_of_work(read_only=True) as uow:
            pending = uow.reminders.pending(name)
        return DeliveryReport(name, delivered, failed, pending, tuple(errors[:100]))

    def _hand_over(self, sink: ReminderSink, entry: OutboxEntry) -> str | None:
        try:
            sink.deliver(entry.request)
        except Exception as e:  # any failure of the sink means "not delivered, retry later"
            error = f"{entry.request.key} #{entry.request.sequence}: {type(e).__name__}: {e}"
            now = self._ctx.clock.now()
            with self._ctx.store.unit_of_work() as uow:
                uow.reminders.failed(
                    entry, retry_at=now + retry_delay(entry.attempts), error=error[:MAX_ERROR]
                )
            return error
        with self._ctx.store.unit_of_work() as uow:
            uow.reminders.delivered(entry, self._ctx.clock.now())
        return None

    def pending(self, sink: str | None = None) -> int:
        """How many requests wait for delivery (to one sink, or to any)."""
        if sink is not None and not isinstance(sink, str):
            raise ValidationError("sink", f"expected a sink name, got {type(sink).__name__}")
        with self._ctx.store.unit_of_work(read_only=True) as uow:
            return uow.reminders.pending(sink)
