"""The store-level contract: units of work, versions, rollback, organisation scoping, audit."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpId,
    LogId,
    LogStatus,
    Priority,
)
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.errors import ConcurrencyConflict, NotFound, StoreUnavailable, ValidationError
from contactlog_core.ports import Store

__all__ = ["StoreContract"]

T0 = pendulum.datetime(2026, 11, 2, 9, 0, 0, 123_456, tz="UTC")


def _org(org_id: str) -> Organisation:
    return Organisation(
        id=OrgId(org_id), name=f"Org {org_id}", timezone="Europe/London", created_at=T0
    )


def _staff(staff_id: str, org_id: str, role: str = "office_admin") -> Staff:
    return Staff(
        id=StaffId(staff_id), org_id=OrgId(org_id), name=staff_id.title(), role=role, created_at=T0
    )


def _log(log_id: str = "log-1", org_id: str = "org-a", owner: str = "ann") -> ContactLog:
    follow_up = FollowUp(
        id=FollowUpId(f"{log_id}-fu"),
        due_at=T0.add(days=1),
        reason="call back",
        assigned_to=StaffId("ben"),
        forward_to=None,
        priority=Priority.HIGH,
        created_at=T0,
    )
    return ContactLog(
        id=LogId(log_id),
        org_id=OrgId(org_id),
        contact=ContactRef(id="parent-1", display_name="Sam Carter — Élodie's dad"),
        channel=Channel.PHONE,
        subject="Bus times",
        notes="Ünïcode notes ✓",
        priority=Priority.NORMAL,
        status=LogStatus.IN_PROGRESS,
        owner=StaffId(owner),
        created_by=StaffId(owner),
        created_at=T0,
        updated_at=T0,
        follow_ups=(follow_up,),
    )


class StoreContract:
    """Every store: what a unit of work writes is all or nothing, versioned and scoped."""

    @pytest.fixture
    def seeded(self, store: Store) -> Store:
        with store.unit_of_work() as uow:
            for org in ("org-a", "org-b"):
                uow.organisations.add(_org(org))
            for staff_id, org in (("ann", "org-a"), ("ben", "org-a"), ("eve", "org-b")):
                uow.staff.add(_staff(staff_id, org))
        return store

    def test_what_was_added_reads_back_equal(self, seeded: Store) -> None:
        log = _log()
        with seeded.unit_of_work() as uow:
            uow.logs.add(log)
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(OrgId("org-a"), log.id) == log
            assert uow.organisations.get(OrgId("org-a")) == _org("org-a")
            assert uow.staff.get(OrgId("org-a"), StaffId("ann")) == _staff("ann", "org-a")
            assert uow.staff.find(StaffId("eve")) == _staff("eve", "org-b")
            assert [s.id for s in uow.staff.list(OrgId("org-a"))] == ["ann", "ben"]

    def test_another_organisations_records_are_not_found(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with seeded.unit_of_work(read_only=True) as uow:
            with pytest.raises(NotFound):
                uow.logs.get(OrgId("org-b"), LogId("log-1"))
            with pytest.raises(NotFound):
                uow.staff.get(OrgId("org-a"), StaffId("eve"))
            with pytest.raises(NotFound):
                uow.organisations.get(OrgId("org-z"))

    def test_nothing_is_visible_after_a_unit_of_work_fails(self, seeded: Store) -> None:
        def fail_midway() -> None:
            with seeded.unit_of_work() as uow:
                uow.logs.add(_log())
                uow.audit.append(_event("e1", "log-1"))
                raise RuntimeError("crash before commit")

        with pytest.raises(RuntimeError):
            fail_midway()
        with seeded.unit_of_work(read_only=True) as uow:
            with pytest.raises(NotFound):
                uow.logs.get(OrgId("org-a"), LogId("log-1"))
            assert list(uow.audit.events(OrgId("org-a"))) == []

    def test_an_update_at_the_read_version_succeeds_and_a_stale_one_conflicts(
        self, seeded: Store
    ) -> None:
        log = _log()
        with seeded.unit_of_work() as uow:
            uow.logs.add(log)
        released = attrs.evolve(
            log, status=LogStatus.OPEN, owner=None, version=2, updated_at=T0.add(hours=1)
        )
        with seeded.unit_of_work() as uow:
            uow.logs.update(released, expected_version=1)
        stale = attrs.evolve(log, subject="late", version=2)
        with pytest.raises(ConcurrencyConflict) as conflict, seeded.unit_of_work() as uow:
            uow.logs.update(stale, expected_version=1)
        assert (conflict.value.expected, conflict.value.actual, conflict.value.id) == (
            1,
            2,
            "log-1",
        )
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(OrgId("org-a"), log.id) == released

    def test_updating_a_missing_log_conflicts_with_no_version(self, seeded: Store) -> None:
        with pytest.raises(ConcurrencyConflict) as conflict, seeded.unit_of_work() as uow:
            uow.logs.update(_log("ghost"), expected_version=1)
        assert conflict.value.actual is None

    def test_follow_up_changes_are_saved_with_the_log(self, seeded: Store) -> None:
        log = _log()
        with seeded.unit_of_work() as uow:
            uow.logs.add(log)
        extra = attrs.evolve(log.follow_ups[0], id=FollowUpId("second"), due_at=T0.add(days=3))
        done = attrs.evolve(log.follow_ups[0], done_at=T0.add(hours=2))
        changed = attrs.evolve(log, follow_ups=(done, extra), version=2)
        with seeded.unit_of_work() as uow:
            uow.logs.get(OrgId("org-a"), log.id)
            uow.logs.update(changed, expected_version=1)
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(OrgId("org-a"), log.id) == changed

    def test_a_read_only_unit_of_work_refuses_writes(self, seeded: Store) -> None:
        with pytest.raises(StoreUnavailable), seeded.unit_of_work(read_only=True) as uow:
            uow.logs.add(_log())
        with pytest.raises(StoreUnavailable), seeded.unit_of_work(read_only=True) as uow:
            uow.audit.append(_event("e1", "log-1"))
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
            assert list(uow.audit.events(OrgId("org-a"))) == []

    def test_a_unit_of_work_inside_another_in_one_thread_is_refused(self, seeded: Store) -> None:
        with seeded.unit_of_work() as outer:
            outer.logs.add(_log())
            with pytest.raises(StoreUnavailable), seeded.unit_of_work(read_only=True):
                pass
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(OrgId("org-a"), LogId("log-1")) == _log()

    def test_ids_are_unique(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with pytest.raises(ValidationError), seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with pytest.raises(ValidationError), seeded.unit_of_work() as uow:
            uow.staff.add(_staff("ann", "org-a"))
        with pytest.raises(ValidationError), seeded.unit_of_work() as uow:
            uow.organisations.add(_org("org-a"))

    def test_audit_events_are_newest_first_per_organisation_and_record(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            for n, entity in enumerate(["log-1", "log-2", "log-1"]):
                uow.audit.append(_event(f"e{n}", entity, at=T0.add(minutes=n)))
            uow.audit.append(_event("other", "log-9", org="org-b"))
        with seeded.unit_of_work(read_only=True) as uow:
            assert [e.id for e in uow.audit.events(OrgId("org-a"))] == ["e2", "e1", "e0"]
            assert [e.id for e in uow.audit.events(OrgId("org-a"), entity_id="log-1")] == [
                "e2",
                "e0",
            ]
            assert [e.id for e in uow.audit.events(OrgId("org-a"), limit=1)] == ["e2"]
            assert uow.audit.events(OrgId("org-a"))[0] == _event(
                "e2", "log-1", at=T0.add(minutes=2)
            )


def _event(
    event_id: str, entity_id: str, *, org: str = "org-a", at: pendulum.DateTime = T0
) -> AuditEvent:
    return AuditEvent(
        id=event_id,
        org_id=OrgId(org),
        entity="log",
        entity_id=entity_id,
        command="take",
        actor=StaffId("ann"),
        at=at,
        before={"status": "OPEN", "notes": "ü"},
        after={"status": "IN_PROGRESS", "owner": "ann"},
    )
