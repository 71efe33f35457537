"""The shipped strategies: registered for ``st.from_type`` and keeping the invariants."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contactlog_core import Actor, ContactLog, LogStatus, Policy
from contactlog_core.testing import strategies as cl_st


@given(st.from_type(ContactLog))
def test_from_type_finds_logs_that_keep_the_lock_invariant(log: ContactLog) -> None:
    assert (log.status is LogStatus.IN_PROGRESS) == (log.owner is not None)
    assert (log.status is LogStatus.COMPLETED) == (log.completed_by is not None)
    assert log.created_at <= log.updated_at
    assert len({f.id for f in log.follow_ups}) == len(log.follow_ups)


@given(st.from_type(Policy))
def test_from_type_finds_valid_policies(policy: Policy) -> None:
    assert len({r.rank for r in policy.roles}) == len(policy.roles)


@given(cl_st.actors(org_id="northfield"))
def test_actors_of_one_organisation(actor: Actor) -> None:
    assert actor.org_id == "northfield"
    assert actor.role in {"office_admin", "school_admin"}


@given(cl_st.aware_datetimes())
def test_instants_are_aware(value: object) -> None:
    assert getattr(value, "tzinfo", None) is not None


@given(cl_st.log_commands())
def test_commands_exclude_record(command: str) -> None:
    assert command != "record"
