"""``LeadMachine``: random lead commands under a moving clock, checked against the reference model.

Drives a real ``contactlog_core.ContactLogApp``, by default on a
``MemoryStore`` in Europe/London with the default aging policy. After every
step each lead, as ``app.leads.get`` and the four views show it, must be
what ``lead_reference`` computes from its facts at the clock's ``now``; a
sweep must write exactly the changes the reference expects, and a second
sweep at the same instant none. Override the ``make_*`` methods to hold your
own store, zone or policy to the same rules::

    class MyStoreLeads(LeadMachine):
        def make_store(self):
            return MyStore(...)

        def make_aging(self):
            return AgingPolicy(days="business")

    TestMyStoreLeads = MyStoreLeads.TestCase

The clock goes anywhere, DST changes included, but the machine only adds,
touches or schedules leads at instants the reference calls
``clear_of_dst_changes`` (before a command it nudges the clock on by half an
hour until it is), so that the two never disagree about a skipped or
repeated wall time: every deadline is then a plain instant, and "has it
come?" a plain comparison with ``now``, wherever ``now`` falls.
"""

from __future__ import annotations

import collections
import datetime as dt
import zoneinfo
from collections.abc import Callable
from functools import partial
from typing import Any

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)
from pendulum import DateTime

from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.clock import ManualClock
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadStatus
from contactlog_core.domain.leads.queries import LeadRow
from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared.paging import MAX_PER_PAGE, Page
from contactlog_core.domain.shared.policy import Permission, Policy
from contactlog_core.errors import ContactLogError, NotFound
from contactlog_core.ports import Store
from contactlog_core.testing.lead_reference import (
    BANK,
    RefLead,
    clear_of_dst_changes,
    ref_add,
    ref_deadlines,
    ref_outcome,
    ref_owner,
    ref_status,
)
from contactlog_core.testing.machine_app import colleagues, outsider, replayable_app

__all__ = ["LeadMachine", "clock_steps"]

COMMANDS = ("schedule", "touch", "claim", "assign", "archive", "reactivate")
TOUCHES = ("call", "note", "email", "meeting")
S = LeadStatus
TO_BE_SCHEDULED = frozenset({S.NOT_SCHEDULED, S.MISSED, S.PAST_DUE, S.ABANDONED})
NUDGE = pendulum.duration(minutes=30)
MAX_NUDGES = 2_000

Row = tuple[str, LeadStatus, str | None, str | None]
CUES = {S.MISSED: "yellow", S.PAST_DUE: "red"}
_Ask = Callable[[], Page[LeadRow]]


def clock_steps() -> st.SearchStrategy[int]:
    """Minutes to move on: a few minutes, some hours, or one to ten days; shrinks to one minute."""
    return st.one_of(
        st.integers(1, 59),
        st.integers(1, 47).map(lambda hours: 60 * hours),
        st.integers(24 * 60, 10 * 24 * 60),
    )


_NEW_LEADS = st.tuples(st.integers(0, 3), st.none() | st.integers(0, 3), st.none() | clock_steps())


class LeadMachine(RuleBasedStateMachine):
    """The lead table and aging under random commands, a moving clock and sweeps."""

    leads = Bundle("leads")

    views_per_check = 2
    """How many of the seven lists each check asks, in turn (``7``: every list every step)."""

    def make_store(self) -> Store:
        """The store under test; override in a subclass."""
        return MemoryStore()

    def make_policy(self) -> Policy:
        """The roles policy; it must know ``office_admin`` and ``school_admin``."""
        return Policy.default()

    def make_timezone(self) -> str:
        """The organisation's time zone, in which days are counted."""
        return "Europe/London"

    def make_aging(self) -> AgingPolicy:
        """The organisation's aging policy."""
        return AgingPolicy()

    def make_start(self) -> DateTime:
        """Where the clock starts: a week before London's clocks go forward."""
        return pendulum.datetime(2026, 3, 20, 9, tz="UTC")

    def __init__(self) -> None:
        super().__init__()
        self.policy = self.make_policy()
        self.zone = self.make_timezone()
        self.aging = self.make_aging()
        self.clock = ManualClock(self.make_start())
        self.app = replayable_app(self.make_store(), self.clock, self.policy)
        org = self.app.organisations.create("Northfield Sales", timezone=self.zone)
        self.app.organisations.set_aging(org.id, self.aging)
        self.staff = colleagues(self.app, org.id)
        self.outsider = outsider(self.app, "Elsewhere Ltd", timezone=self.zone)
        self.ranks: dict[str, int] = {a.staff_id: self.policy.role(a.role).rank for a in self.staff}
        self.model: dict[str, RefLead] = {}
        self.versions: dict[str, int] = {}
        # Status and owner as last written (by a command or a sweep): what a sweep compares.
        self.written: dict[str, tuple[LeadStatus, str | None]] = {}
        # The views are costly to ask (each works out the aging cutoffs): ask them only once
        # the clock or a lead has moved, and ``views_per_check`` of them at a time, in turn.
        self.writes = 0
        self.views_seen: tuple[DateTime, int] | None = None
        self.views_checked = 0
        self.views = self._views()

    def teardown(self) -> None:
        self.app.close()

    def _views(self) -> list[tuple[str, frozenset[LeadStatus], str | None, _Ask]]:
        """Each list: its name, the statuses it shows, whose leads (``None``: all), how to ask."""
        leads, n, me = self.app.leads, MAX_PER_PAGE, self.staff[0]
        mine = [
            (f"{a.staff_id}'s to be scheduled list", TO_BE_SCHEDULED, a.staff_id, a)
            for a in self.staff
        ]
        return [
            *(
                (name, shown, owner, partial(leads.to_be_scheduled, a, per_page=n))
                for name, shown, owner, a in mine
            ),
            ("lead bank", BANK, None, partial(leads.lead_bank, me, per_page=n)),
            (
                "schedule",
                frozenset({S.SCHEDULED}),
                None,
                partial(leads.scheduled, me, everyone=True, per_page=n),
            ),
            (
                "archived list",
                frozenset({S.ARCHIVED}),
                None,
                partial(leads.archived, me, per_page=n),
            ),
        ]

    # -- the reference, as of now (subclasses may get it wrong on purpose) -----------------------

    def expected_status(self, lead: RefLead) -> LeadStatus:
        """The reference's status of ``lead`` now."""
        return ref_status(lead, self.clock.now(), self.zone, self.aging)

    def expected_owner(self, lead: RefLead) -> str | None:
        """The reference's owner of ``lead`` now."""
        return ref_owner(lead, self.clock.now(), self.zone, self.aging)

    def expected_outcome(
        self, command: str, lead: RefLead, actor: Actor, **args: Any
    ) -> RefLead | type[ContactLogError]:
        """The reference's lead after ``command``, or the error class it expects."""
        return ref_outcome(
            command,
            lead,
            actor.staff_id,
            now=self.clock.now(),
            zone=self.zone,
            policy=self.aging,
            ranks=self.ranks,
            may_reactivate=self.policy.allows(actor.role, Permission.REACTIVATE_LEAD),
            **args,
        )

    # -- helpers ---------------------------------------------------------------------------------

    def _clear(self, instant: DateTime) -> DateTime:
        """``instant``, or the first half hour after it that is clear of DST changes."""
        for _ in range(MAX_NUDGES):
            if clear_of_dst_changes(instant, self.zone, self.aging):
                return instant
            instant = instant + NUDGE
        raise AssertionError(f"no instant clear of DST changes near {instant} in {self.zone}")

    def _ahead(self, minutes: int) -> DateTime:
        return self._clear(self.clock.now().add(minutes=minutes))

    def _stamp(self) -> None:
        """Move the clock on to an instant a command may stamp on a lead."""
        self.clock.set(self._clear(self.clock.now()))

    def _by_id(self, staff_id: str | None) -> Actor:
        return next((a for a in self.staff if a.staff_id == staff_id), self.staff[0])

    def _in(self, statuses: frozenset[LeadStatus]) -> list[str]:
        return sorted(k for k, lead in self.model.items() if self.expected_status(lead) in statuses)

    def _remember(self, lead_id: str, lead: RefLead) -> None:
        self.model[lead_id] = lead
        self.writes += 1
        self.versions[lead_id] = self.versions.get(lead_id, 0) + 1
        self.written[lead_id] = (self.expected_status(lead), self.expected_owner(lead))

    def _assert_matches(self, lead: Lead, how: str) -> None:
        ref = self.model[lead.id]
        seen = (lead.status, lead.owner, lead.follow_up_at, lead.last_touch_at, lead.archived)
        want = (
            self.expected_status(ref),
            self.expected_owner(ref),
            ref.follow_up_at,
            ref.last_touch_at,
            ref.archived,
        )
        assert seen == want, f"{lead.id} {how} at {self.clock.now()}: got {seen}, expected {want}"
        assert lead.version == self.versions[lead.id], f"{lead.id} {how}: version {lead.version}"

    def _call(self, command: str, lead_id: str, actor: Actor, **args: Any) -> Lead:
        leads = self.app.leads
        calls: dict[str, Callable[[], Lead]] = {
            "schedule": lambda: leads.schedule(actor, lead_id, at=args["at"]),
            "touch": lambda: leads.touch(actor, lead_id, kind=args["kind"], note="called"),
            "claim": lambda: leads.claim(actor, lead_id),
            "assign": lambda: leads.assign(actor, lead_id, args["assignee"]),
            "archive": lambda: leads.archive(actor, lead_id, reason=args["reason"]),
            "reactivate": lambda: leads.reactivate(actor, lead_id),
        }
        return calls[command]()

    def _attempt(self, command: str, lead_id: str, actor: Actor, **args: Any) -> None:
        """Run ``command`` and hold its result, or the error it raised, to the reference."""
        self._stamp()
        ref_args = {k: v for k, v in args.items() if k in ("assignee", "at")}
        expected = self.expected_outcome(command, self.model[lead_id], actor, **ref_args)
        what = f"{command} by {actor.staff_id} on {lead_id} at {self.clock.now()}"
        before = self.app.leads.get(self.staff[0], lead_id)
        try:
            after = self._call(command, lead_id, actor, **args)
        except ContactLogError as e:
            assert not isinstance(expected, RefLead), f"{what}: expected success, got {e!r}"
            assert type(e) is expected, f"{what}: expected {expected.__name__}, got {e!r}"
            # A refused command changes nothing, not even the version.
            assert self.app.leads.get(self.staff[0], lead_id) == before, f"{what} changed it"
            return
        assert isinstance(expected, RefLead), f"{what}: expected {expected.__name__}, it succeeded"
        self._remember(lead_id, expected)
        self._assert_matches(after, f"after {what}")

    # -- rules -----------------------------------------------------------------------------------

    @initialize(target=leads, first=st.lists(_NEW_LEADS, min_size=1, max_size=3))
    def start_with_some_leads(
        self, first: list[tuple[int, int | None, int | None]]
    ) -> MultipleResults[str]:
        # Swarm testing may switch ``add`` off for a whole run: the other rules still get leads.
        return multiple(*(self._add(*args) for args in first))

    @rule(
        target=leads,
        who=st.integers(0, 3),
        to=st.none() | st.integers(0, 3),
        ahead=st.none() | clock_steps(),
    )
    def add(self, who: int, to: int | None, ahead: int | None) -> str:
        return self._add(who, to, ahead)

    def _add(self, who: int, to: int | None, ahead: int | None) -> str:
        self._stamp()
        actor = self.staff[who]
        assignee = None if to is None else self.staff[to].staff_id
        follow_up = None if ahead is None else self._ahead(ahead)
        lead = self.app.leads.add(
            actor, name=f"Lead {len(self.model)}", assignee=assignee, follow_up_at=follow_up
        )
        self._remember(
            lead.id,
            ref_add(actor.staff_id, self.clock.now(), assignee=assignee, follow_up_at=follow_up),
        )
        self._assert_matches(lead, "when added")
        return lead.id

    @rule(
        lead_id=leads,
        command=st.sampled_from(COMMANDS),
        who=st.integers(0, 3),
        to=st.integers(0, 3),
        ahead=clock_steps(),
        kind=st.sampled_from(TOUCHES),
        reason=st.sampled_from(ArchiveReason),
    )
    def command(
        self, lead_id: str, command: str, who: int, to: int, ahead: int, kind: str, reason: str
    ) -> None:
        self._stamp()  # first, so that ``at`` stays ahead of the clock
        self._attempt(
            command,
            lead_id,
            self.staff[who],
            assignee=self.staff[to].staff_id,
            at=self._ahead(ahead),
            kind=kind,
            reason=reason,
        )

    @rule(
        lead_id=leads,
        command=st.sampled_from(("schedule", "touch", "assign", "archive")),
        to=st.integers(0, 3),
        ahead=clock_steps(),
    )
    def owner_works_their_lead(self, lead_id: str, command: str, to: int, ahead: int) -> None:
        owner = self._by_id(self.expected_owner(self.model[lead_id]))
        self.command(lead_id, command, self.staff.index(owner), to, ahead, "call", "lost")

    @precondition(lambda self: bool(self._in(BANK)))
    @rule(data=st.data(), who=st.integers(0, 3))
    def claim_from_the_bank(self, data: st.DataObject, who: int) -> None:
        lead_id = data.draw(st.sampled_from(self._in(BANK)))
        self._attempt("claim", lead_id, self.staff[who])

    @precondition(lambda self: any(lead.archived for lead in self.model.values()))
    @rule(data=st.data(), who=st.integers(0, 3))
    def reactivate_an_archived_lead(self, data: st.DataObject, who: int) -> None:
        lead_id = data.draw(st.sampled_from(sorted(k for k, v in self.model.items() if v.archived)))
        self._attempt("reactivate", lead_id, self.staff[who])

    @rule(minutes=clock_steps())
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @rule(minutes=st.integers(-90, 90))
    def time_passes_to_a_dst_change(self, minutes: int) -> None:
        """Jump to within an hour and a half of the zone's next change of UTC offset."""
        change = _next_offset_change(self.clock.now(), self.zone)
        if change is not None and change.add(minutes=minutes) > self.clock.now():
            self.clock.set(change.add(minutes=minutes))

    @rule(lead_id=leads, early=st.booleans())
    def time_passes_to_a_deadline(self, lead_id: str, early: bool) -> None:
        """Jump to the lead's next change of status, or to a microsecond before it."""
        now = self.clock.now()
        deadlines = ref_deadlines(self.model[lead_id], now, self.zone, self.aging)
        later = [at.subtract(microseconds=int(early)) for at in deadlines]
        later = [at for at in later if at > now]
        if later:
            self.clock.set(later[0])

    @rule(batch_size=st.integers(1, 4))
    def sweep(self, batch_size: int) -> None:
        expected: collections.Counter[tuple[LeadStatus, LeadStatus]] = collections.Counter()
        for lead_id, lead in self.model.items():
            now = (self.expected_status(lead), self.expected_owner(lead))
            if now != self.written[lead_id]:
                expected[self.written[lead_id][0], now[0]] += 1
                self.written[lead_id] = now
                self.versions[lead_id] += 1
                self.writes += 1
        report = self.app.leads.sweep(batch_size=batch_size)
        assert dict(report.transitions) == dict(expected), f"swept at {report.now}"
        again = self.app.leads.sweep(batch_size=batch_size)
        assert again.changed == 0, f"a second sweep at {again.now} changed {again.transitions}"
        for lead_id, version in self.versions.items():
            events = self.app.audit.events(self.staff[0], entity_id=lead_id, limit=1_000)
            assert len(events) == version, f"{lead_id}: {len(events)} events for v{version}"

    @rule(lead_id=leads, command=st.sampled_from(COMMANDS))
    def outsider_cannot_see_or_touch(self, lead_id: str, command: str) -> None:
        eve = self.outsider
        args = {"at": self._ahead(60), "kind": "call", "reason": "lost", "assignee": eve.staff_id}
        reads: tuple[Callable[[], Lead], ...] = (
            lambda: self._call(command, lead_id, eve, **args),
            lambda: self.app.leads.get(eve, lead_id),
        )
        for attempt in reads:
            try:
                attempt()
            except NotFound:
                pass
            else:
                raise AssertionError(f"another organisation's lead {lead_id} was reachable")

    # -- invariants ------------------------------------------------------------------------------

    @invariant()
    def every_lead_is_what_the_reference_says(self) -> None:
        for lead_id in self.model:
            self._assert_matches(self.app.leads.get(self.staff[0], lead_id), "as read")

    @invariant()
    def the_views_show_what_the_reference_says(self) -> None:
        """Each person's *To Be Scheduled*, the lead bank, the schedule and the archive.

        Asked only when the clock or a lead has moved since, and
        ``views_per_check`` of them at a time, round the seven in turn:
        every list works out the aging cutoffs afresh, most of the
        machine's time.
        """
        if self.views_seen == (self.clock.now(), self.writes):
            return
        self.views_seen = (self.clock.now(), self.writes)
        expected_now = {
            k: (self.expected_status(v), self.expected_owner(v)) for k, v in self.model.items()
        }
        for _ in range(min(self.views_per_check, len(self.views))):
            name, shown, whose, ask = self.views[self.views_checked % len(self.views)]
            self.views_checked += 1
            expected = {
                (k, status, owner, CUES.get(status))
                for k, (status, owner) in expected_now.items()
                if status in shown and whose in (None, owner)
            }
            assert _rows(ask()) == expected, f"the {name} at {self.clock.now()}"


def _next_offset_change(after: DateTime, zone: str) -> DateTime | None:
    """The first instant within a year after ``after`` at which ``zone`` changes its UTC offset."""
    tz, day = zoneinfo.ZoneInfo(zone), dt.timedelta(days=1)
    lo = dt.datetime.fromtimestamp(after.timestamp(), dt.UTC)
    for _ in range(366):
        hi = lo + day
        if lo.astimezone(tz).utcoffset() != hi.astimezone(tz).utcoffset():
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                same = mid.astimezone(tz).utcoffset() == lo.astimezone(tz).utcoffset()
                lo, hi = (mid, hi) if same else (lo, mid)
            return pendulum.instance(hi.replace(microsecond=0)).in_timezone("UTC")
        lo = hi
    return None


def _rows(page: Page[LeadRow]) -> set[Row]:
    assert page.total == len(page.items), "every lead fits on one page"
    return {(row.id, row.status, row.owner, row.cue) for row in page.items}
