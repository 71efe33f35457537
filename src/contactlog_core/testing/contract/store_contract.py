"""The store-level contract: units of work, versions, rollback, organisation scoping, audit."""

from __future__ import annotations

import attrs
import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.ports import Store

__all__ = ["StoreContract"]

T0 = pendulum.datetime(2026, 11, 2, 9, 0, 0, 123_456, tz="UTC")


def _org(org_id: str) -> cl.Organisation:
    return cl.Organisation(
        id=cl.OrgId(org_id), name=f"Org {org_id}", timezone="Europe/London", created_at=T0
    )


def _staff(staff_id: str, org_id: str, role: str = "office_admin") -> cl.Staff:
    return cl.Staff(
        id=cl.StaffId(staff_id),
        org_id=cl.OrgId(org_id),
        name=staff_id.title(),
        role=role,
        created_at=T0,
    )


def _log(log_id: str = "log-1", org_id: str = "org-a", owner: str = "ann") -> cl.ContactLog:
    follow_up = cl.FollowUp(
        id=cl.FollowUpId(f"{log_id}-fu"),
        due_at=T0.add(days=1),
        reason="call back",
        assigned_to=cl.StaffId("ben"),
        forward_to=None,
        priority=cl.Priority.HIGH,
        created_at=T0,
    )
    return cl.ContactLog(
        id=cl.LogId(log_id),
        org_id=cl.OrgId(org_id),
        contact=cl.ContactRef(id="parent-1", display_name="Sam Carter — Élodie's dad"),
        channel=cl.Channel.PHONE,
        subject="Bus times",
        notes="Ünïcode notes ✓",
        priority=cl.Priority.NORMAL,
        status=cl.LogStatus.IN_PROGRESS,
        owner=cl.StaffId(owner),
        created_by=cl.StaffId(owner),
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
            assert uow.logs.get(cl.OrgId("org-a"), log.id) == log
            assert uow.organisations.get(cl.OrgId("org-a")) == _org("org-a")
            assert uow.staff.get(cl.OrgId("org-a"), cl.StaffId("ann")) == _staff("ann", "org-a")
            assert uow.staff.find(cl.StaffId("eve")) == _staff("eve", "org-b")
            assert [s.id for s in uow.staff.list(cl.OrgId("org-a"))] == ["ann", "ben"]

    def test_another_organisations_records_are_not_found(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with seeded.unit_of_work(read_only=True) as uow:
            with pytest.raises(cl.NotFound):
                uow.logs.get(cl.OrgId("org-b"), cl.LogId("log-1"))
            with pytest.raises(cl.NotFound):
                uow.staff.get(cl.OrgId("org-a"), cl.StaffId("eve"))
            with pytest.raises(cl.NotFound):
                uow.organisations.get(cl.OrgId("org-z"))

    def test_nothing_is_visible_after_a_unit_of_work_fails(self, seeded: Store) -> None:
        def fail_midway() -> None:
            with seeded.unit_of_work() as uow:
                uow.logs.add(_log())
                uow.audit.append(_event("e1", "log-1"))
                raise RuntimeError("crash before commit")

        with pytest.raises(RuntimeError):
            fail_midway()
        with seeded.unit_of_work(read_only=True) as uow:
            with pytest.raises(cl.NotFound):
                uow.logs.get(cl.OrgId("org-a"), cl.LogId("log-1"))
            assert list(uow.audit.events(cl.OrgId("org-a"))) == []

    def test_an_update_at_the_read_version_succeeds_and_a_stale_one_conflicts(
        self, seeded: Store
    ) -> None:
        log = _log()
        with seeded.unit_of_work() as uow:
            uow.logs.add(log)
        released = attrs.evolve(
            log, status=cl.LogStatus.OPEN, owner=None, version=2, updated_at=T0.add(hours=1)
        )
        with seeded.unit_of_work() as uow:
            uow.logs.update(released, expected_version=1)
        stale = attrs.evolve(log, subject="late", version=2)
        with pytest.raises(cl.ConcurrencyConflict) as conflict, seeded.unit_of_work() as uow:
            uow.logs.update(stale, expected_version=1)
        assert (conflict.value.expected, conflict.value.actual, conflict.value.id) == (
            1,
            2,
            "log-1",
        )
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(cl.OrgId("org-a"), log.id) == released

    def test_updating_a_missing_log_conflicts_with_no_version(self, seeded: Store) -> None:
        with pytest.raises(cl.ConcurrencyConflict) as conflict, seeded.unit_of_work() as uow:
            uow.logs.update(_log("ghost"), expected_version=1)
        assert conflict.value.actual is None

    def test_follow_up_changes_are_saved_with_the_log(self, seeded: Store) -> None:
        log = _log()
        with seeded.unit_of_work() as uow:
            uow.logs.add(log)
        extra = attrs.evolve(log.follow_ups[0], id=cl.FollowUpId("second"), due_at=T0.add(days=3))
        done = attrs.evolve(log.follow_ups[0], done_at=T0.add(hours=2))
        changed = attrs.evolve(log, follow_ups=(done, extra), version=2)
        with seeded.unit_of_work() as uow:
            uow.logs.get(cl.OrgId("org-a"), log.id)
            uow.logs.update(changed, expected_version=1)
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(cl.OrgId("org-a"), log.id) == changed

    def test_a_read_only_unit_of_work_refuses_writes(self, seeded: Store) -> None:
        with pytest.raises(cl.StoreUnavailable), seeded.unit_of_work(read_only=True) as uow:
            uow.logs.add(_log())
        with pytest.raises(cl.StoreUnavailable), seeded.unit_of_work(read_only=True) as uow:
            uow.audit.append(_event("e1", "log-1"))
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
            assert list(uow.audit.events(cl.OrgId("org-a"))) == []

    def test_a_unit_of_work_inside_another_in_one_thread_is_refused(self, seeded: Store) -> None:
        with seeded.unit_of_work() as outer:
            outer.logs.add(_log())
            with pytest.raises(cl.StoreUnavailable), seeded.unit_of_work(read_only=True):
                pass
        with seeded.unit_of_work(read_only=True) as uow:
            assert uow.logs.get(cl.OrgId("org-a"), cl.LogId("log-1")) == _log()

    def test_ids_are_unique(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with pytest.raises(cl.ValidationError), seeded.unit_of_work() as uow:
            uow.logs.add(_log())
        with pytest.raises(cl.ValidationError), seeded.unit_of_work() as uow:
            uow.staff.add(_staff("ann", "org-a"))
        with pytest.raises(cl.ValidationError), seeded.unit_of_work() as uow:
            uow.organisations.add(_org("org-a"))

    def test_audit_events_are_newest_first_per_organisation_and_record(self, seeded: Store) -> None:
        with seeded.unit_of_work() as uow:
            for n, entity in enumerate(["log-1", "log-2", "log-1"]):
                uow.audit.append(_event(f"e{n}", entity, at=T0.add(minutes=n)))
            uow.audit.append(_event("other", "log-9", org="org-b"))
        with seeded.unit_of_work(read_only=True) as uow:
            assert [e.id for e in uow.audit.events(cl.OrgId("org-a"))] == ["e2", "e1", "e0"]
            assert [e.id for e in uow.audit.events(cl.OrgId("org-a"), entity_id="log-1")] == [
                "e2",
                "e0",
            ]
            assert [e.id for e in uow.audit.events(cl.OrgId("org-a"), limit=1)] == ["e2"]
            assert uow.audit.events(cl.OrgId("org-a"))[0] == _event(
                "e2", "log-1", at=T0.add(minutes=2)
            )


def _event(
    event_id: str, entity_id: str, *, org: str = "org-a", at: pendulum.DateTime = T0
) -> cl.AuditEvent:
    return cl.AuditEvent(
        id=event_id,
        org_id=cl.OrgId(org),
        entity="log",
        entity_id=entity_id,
        command="take",
        actor=cl.StaffId("ann"),
        at=at,
        before={"status": "OPEN", "notes": "ü"},
        after={"status": "IN_PROGRESS", "owner": "ann"},
    )
