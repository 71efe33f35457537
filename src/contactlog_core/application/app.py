"""``ContactLogApp``: the services wired to one store, clock and policy."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from contactlog_core.application.audit import AuditService
from contactlog_core.application.context import Context, new_id
from contactlog_core.application.interactions import InteractionService
from contactlog_core.application.leads import LeadService
from contactlog_core.application.logs import LogService
from contactlog_core.application.organisations import OrganisationService, StaffService
from contactlog_core.application.reminders import ReminderService
from contactlog_core.clock import Clock, SystemClock
from contactlog_core.domain.interactions.tagging import StatisticalTagExtractor
from contactlog_core.domain.organisations.model import Actor, StaffId
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.errors import ValidationError
from contactlog_core.ports import Store, TagExtractor

__all__ = ["ContactLogApp"]


class ContactLogApp:
    """The library's front door.

    >>> import contactlog_core as cl
    >>> from contactlog_core.adapters.memory import MemoryStore
    >>> app = cl.ContactLogApp(MemoryStore())
    >>> org = app.organisations.create("Northfield Primary", timezone="Europe/London")
    >>> alice = app.staff.add(org.id, name="Alice Smith", role="office_admin")
    >>> log = app.logs.record(app.actor(alice.id), subject="Parent called about the bus")
    >>> log.status, log.owner == alice.id
    (<LogStatus.IN_PROGRESS: 'IN_PROGRESS'>, True)
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        policy: Policy | None = None,
        ids: Callable[[], str] = new_id,
        tags: TagExtractor | None = None,
        reminder_sinks: Iterable[str] = (),
    ) -> None:
        clock = SystemClock() if clock is None else clock
        policy = Policy.default() if policy is None else policy
        if not isinstance(policy, Policy):
            raise ValidationError("policy", f"expected a Policy, got {type(policy).__name__}")
        if not callable(getattr(clock, "now", None)):
            raise ValidationError("clock", "expected an object with a now() method")
        tags = StatisticalTagExtractor() if tags is None else tags
        if not callable(getattr(tags, "extract", None)):
            raise ValidationError("tags", "expected a TagExtractor (an object with extract())")
        self.store = store
        self.clock = clock
        self.policy = policy
        sinks = _sink_names(reminder_sinks)
        self._ctx = Context(store=store, clock=clock, policy=policy, ids=ids, sinks=sinks)
        self.organisations = OrganisationService(self._ctx)
        self.staff = StaffService(self._ctx)
        self.logs = LogService(self._ctx)
        self.leads = LeadService(self._ctx)
        self.interactions = InteractionService(self._ctx, tags)
        self.reminders = ReminderService(self._ctx)
        self.audit = AuditService(self._ctx)

    def actor(self, staff_id: str) -> Actor:
        """The actor for a staff member the host app has authenticated."""
        key = StaffId(check.identifier(staff_id, "staff_id"))
        with self.store.unit_of_work(read_only=True) as uow:
            return Actor.of(uow.staff.find(key))

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def _sink_names(names: object) -> frozenset[str]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise ValidationError("reminder_sinks", "expected a list of sink names")
    extra = [check.identifier(name, "reminder_sinks") for name in names]
    return frozenset({"ical", "collecting", *extra})
