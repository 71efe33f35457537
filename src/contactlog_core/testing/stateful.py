"""``OwnershipMachine``: random sequences of ownership commands, checked against the reference model.

Drives a real ``contactlog_core.ContactLogApp``, by default on a
``MemoryStore``. Subclass it and override ``OwnershipMachine.make_store``
to hold your own store or integration to the same rules::

    class MyStoreOwnership(OwnershipMachine):
        def make_store(self):
            return MyStore(...)

    TestMyStoreOwnership = MyStoreOwnership.TestCase
"""

from __future__ import annotations

from typing import Any

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.clock import ManualClock
from contactlog_core.domain.logs.model import ContactLog, FollowUpDraft, LogStatus
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared.policy import Permission, Policy
from contactlog_core.errors import ContactLogError, InvalidTransition, NotFound
from contactlog_core.ports import Store
from contactlog_core.testing.machine_app import STAFF, colleagues, outsider, replayable_app
from contactlog_core.testing.reference import RefLog, reference_outcome

__all__ = ["OwnershipMachine"]

COMMANDS = ("take", "force_take", "assign", "surrender", "amend", "complete", "reopen")


class OwnershipMachine(RuleBasedStateMachine):
    """The ownership table under random commands by random staff, one organisation and an outsider."""

    logs = Bundle("logs")

    def make_store(self) -> Store:
        """The store under test; override in a subclass."""
        return MemoryStore()

    def make_policy(self) -> Policy:
        """The policy under test; it must know the roles ``office_admin`` and ``school_admin``."""
        return Policy.default()

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(pendulum.datetime(2026, 11, 2, 9, tz="UTC"))
        self.policy = self.make_policy()
        self.app = replayable_app(self.make_store(), self.clock, self.policy)
        org = self.app.organisations.create("Northfield Primary", timezone="Europe/London")
        self.staff = colleagues(self.app, org.id)
        self.outsider = outsider(self.app, "Elsewhere Academy")
        self.model: dict[str, RefLog] = {}
        self.follow_ups: dict[str, dict[str, bool]] = {}

    def teardown(self) -> None:
        self.app.close()

    # -- helpers -------------------------------------------------------------------------------

    def _rank(self, staff_id: str | None) -> int | None:
        by_id: dict[str, Actor] = {a.staff_id: a for a in self.staff}
        return None if staff_id is None else self.policy.role(by_id[staff_id].role).rank

    def _expect(self, log_id: str, command: str, actor: Actor, assignee: str | None = None) -> Any:
        return reference_outcome(
            self.model[log_id],
            command,
            actor.staff_id,
            actor_rank=self.policy.role(actor.role).rank,
            owner_rank=self._rank(self.model[log_id].owner),
            may_reopen=self.policy.allows(actor.role, Permission.REOPEN_LOG),
            assignee=assignee,
        )

    def _call(self, log_id: str, command: str, actor: Actor, assignee: Actor) -> ContactLog:
        logs = self.app.logs
        calls = {
            "take": lambda: logs.take(actor, log_id),
            "force_take": lambda: logs.force_take(actor, log_id),
            "assign": lambda: logs.assign(actor, log_id, assignee.staff_id),
            "surrender": lambda: logs.surrender(actor, log_id),
            "amend": lambda: logs.amend(actor, log_id, notes=f"note {self.clock.now()}"),
            "complete": lambda: logs.complete(actor, log_id),
            "reopen": lambda: logs.reopen(actor, log_id),
        }
        return calls[command]()

    def _check_against_model(self, log_id: str, expected: Any, attempt: Any) -> None:
        before = self.app.logs.get(self.staff[0], log_id)
        if isinstance(expected, RefLog):
            after = attempt()
            assert (after.status, after.owner, after.version) == (
                expected.status,
                expected.owner,
                expected.version,
            )
            if expected.completed_by is not None:
                assert after.completed_by == expected.completed_by
            self.model[log_id] = expected
        else:
            try:
                attempt()
            except ContactLogError as e:
                assert type(e) is expected, (
                    f"expected {expected.__name__}, got {type(e).__name__}: {e}"
                )
            else:
                raise AssertionError(f"expected {expected.__name__}, the command succeeded")
            # A refused command changes nothing, not even the version.
            assert self.app.logs.get(self.staff[0], log_id) == before

    # -- rules ---------------------------------------------------------------------------------

    @rule(target=logs, who=st.integers(0, len(STAFF) - 1))
    def record(self, who: int) -> str:
        actor = self.staff[who]
        self.clock.advance(minutes=1)
        log = self.app.logs.record(actor, subject=f"Call {len(self.model)}")
        assert (log.status, log.owner, log.version) == (LogStatus.IN_PROGRESS, actor.staff_id, 1)
        self.model[log.id] = RefLog("IN_PROGRESS", actor.staff_id, 1)
        self.follow_ups[log.id] = {}
        return log.id

    @rule(
        log_id=logs, command=st.sampled_from(COMMANDS), who=st.integers(0, 3), to=st.integers(0, 3)
    )
    def command(self, log_id: str, command: str, who: int, to: int) -> None:
        actor, assignee = self.staff[who], self.staff[to]
        self.clock.advance(minutes=1)
        expected = self._expect(log_id, command, actor, assignee.staff_id)
        self._check_against_model(
            log_id, expected, lambda: self._call(log_id, command, actor, assignee)
        )

    @precondition(lambda self: any(m.status == "OPEN" for m in self.model.values()))
    @rule(data=st.data(), who=st.integers(0, 3))
    def take_an_open_log(self, data: st.DataObject, who: int) -> None:
        log_id = data.draw(
            st.sampled_from(sorted(k for k, m in self.model.items() if m.status == "OPEN"))
        )
        self.command(log_id, "take", who, who)

    @precondition(lambda self: any(m.status == "IN_PROGRESS" for m in self.model.values()))
    @rule(data=st.data(), command=st.sampled_from(("surrender", "complete", "amend")))
    def owner_acts_on_a_held_log(self, data: st.DataObject, command: str) -> None:
        held = sorted(k for k, m in self.model.items() if m.status == "IN_PROGRESS")
        log_id = data.draw(st.sampled_from(held))
        owner = next(i for i, a in enumerate(self.staff) if a.staff_id == self.model[log_id].owner)
        self.command(log_id, command, owner, owner)

    @rule(log_id=logs, who=st.integers(0, 3), days=st.integers(1, 30))
    def add_follow_up(self, log_id: str, who: int, days: int) -> None:
        actor = self.staff[who]
        expected = self._expect(log_id, "add_follow_up", actor)
        draft = FollowUpDraft(due_at=self.clock.now().add(days=days), reason="call back")
        self._check_against_model(
            log_id, expected, lambda: self.app.logs.add_follow_up(actor, log_id, draft)
        )
        if isinstance(expected, RefLog):
            log = self.app.logs.get(actor, log_id)
            self.follow_ups[log_id][log.follow_ups[-1].id] = False

    @precondition(lambda self: any(fus for fus in self.follow_ups.values()))
    @rule(data=st.data(), who=st.integers(0, 3), done=st.booleans())
    def act_on_a_follow_up(self, data: st.DataObject, who: int, done: bool) -> None:
        log_id = data.draw(st.sampled_from(sorted(k for k, fus in self.follow_ups.items() if fus)))
        fu_id = data.draw(st.sampled_from(sorted(self.follow_ups[log_id])))
        actor = self.staff[who]
        command = "complete_follow_up" if done else "reschedule_follow_up"
        expected = self._expect(log_id, command, actor)
        if isinstance(expected, RefLog) and self.follow_ups[log_id][fu_id]:
            expected = InvalidTransition  # the log allows it, but the follow-up is done already
        logs = self.app.logs
        due = self.clock.now().add(days=2)
        attempt = (
            (lambda: logs.complete_follow_up(actor, log_id, fu_id))
            if done
            else (lambda: logs.reschedule_follow_up(actor, log_id, fu_id, due))
        )
        self._check_against_model(log_id, expected, attempt)
        if isinstance(expected, RefLog) and done:
            self.follow_ups[log_id][fu_id] = True

    @rule(log_id=logs, command=st.sampled_from(COMMANDS))
    def outsider_cannot_see_or_touch(self, log_id: str, command: str) -> None:
        with_outsider = self.outsider
        self._check_against_model(
            log_id, NotFound, lambda: self._call(log_id, command, with_outsider, with_outsider)
        )
        try:
            self.app.logs.get(with_outsider, log_id)
        except NotFound:
            pass
        else:
            raise AssertionError("another organisation's log was readable")

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def stored_logs_match_the_model(self) -> None:
        for log_id, expected in self.model.items():
            log = self.app.logs.get(self.staff[0], log_id)
            assert (log.status, log.owner, log.version) == (
                expected.status,
                expected.owner,
                expected.version,
            )

    @invariant()
    def in_progress_exactly_when_owned(self) -> None:
        for log_id in self.model:
            log = self.app.logs.get(self.staff[0], log_id)
            assert (log.status is LogStatus.IN_PROGRESS) == (log.owner is not None)

    @invariant()
    def every_change_is_audited_once(self) -> None:
        for log_id, expected in self.model.items():
            events = self.app.audit.events(self.staff[0], entity_id=log_id, limit=1_000)
            assert len(events) == expected.version
