"""Hypothesis strategies for the library's types.

Each returns ``st.SearchStrategy[T]`` and shrinks towards the plainest value
(the first role, UTC, empty notes, no follow-ups). Installing the package
registers them through the ``hypothesis`` entry point, so
``st.from_type(ContactLog)`` works in a user's tests with no import.
"""

from __future__ import annotations

import datetime as dt
import string

import pendulum
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpDraft,
    FollowUpId,
    LogCommand,
    LogId,
    LogStatus,
    Priority,
)
from contactlog_core.domain.organisations.model import Actor, Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.shared.policy import Permission, Policy, Role

__all__ = [
    "actors",
    "aware_datetimes",
    "contact_logs",
    "contact_refs",
    "follow_up_drafts",
    "follow_ups",
    "ids",
    "log_commands",
    "organisations",
    "policies",
    "staff",
    "timezones",
]

TIMEZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
)
# Text a caller may store: any Unicode but NUL, which the library refuses.
_TEXT = st.characters(codec="utf-8", exclude_characters="\x00")
_EPOCH = dt.datetime(2020, 1, 1)
_END = dt.datetime(2035, 12, 31)


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Short printable ids; shrinks to ``prefix + "0"``."""
    return st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12).map(
        lambda s: prefix + s
    )


def timezones() -> st.SearchStrategy[str]:
    """IANA zone names, including half-hour and far-off offsets; shrinks to UTC."""
    return st.sampled_from(TIMEZONES)


def aware_datetimes(
    min_value: dt.datetime = _EPOCH, max_value: dt.datetime = _END
) -> st.SearchStrategy[DateTime]:
    """Aware pendulum instants in UTC (whole seconds); shrinks towards ``min_value``."""
    return st.datetimes(min_value=min_value, max_value=max_value).map(
        lambda d: pendulum.instance(d.replace(microsecond=0), tz="UTC")
    )


def _plain(instant: DateTime) -> dt.datetime:
    # st.datetimes wants stdlib naive bounds; instants here are all UTC.
    return dt.datetime(*instant.in_timezone("UTC").timetuple()[:6])


def policies(max_roles: int = 4) -> st.SearchStrategy[Policy]:
    """Valid policies: distinct role names and ranks, grants to known roles; shrinks to one role."""

    @st.composite
    def build(draw: st.DrawFn) -> Policy:
        names = draw(st.lists(ids("role_"), min_size=1, max_size=max_roles, unique=True))
        ranks = draw(
            st.lists(st.integers(0, 100), min_size=len(names), max_size=len(names), unique=True)
        )
        roles = tuple(Role(n, r) for n, r in zip(names, ranks, strict=True))
        grants = {
            p: frozenset(draw(st.sets(st.sampled_from(names))))
            for p in draw(st.sets(st.sampled_from(list(Permission))))
        }
        return Policy(roles=roles, grants=grants)

    return build()


def organisations() -> st.SearchStrategy[Organisation]:
    """Organisations with a real time zone."""
    return st.builds(
        Organisation,
        id=ids("org_").map(OrgId),
        name=st.text(_TEXT, min_size=1, max_size=40).map(str.strip).filter(bool),
        timezone=timezones(),
        created_at=aware_datetimes(),
        version=st.integers(1, 10),
    )


def staff(org_id: str | None = None, policy: Policy | None = None) -> st.SearchStrategy[Staff]:
    """Staff members with a role of ``policy`` (the default policy when not given)."""
    roles = [r.name for r in (policy or Policy.default()).roles]
    return st.builds(
        Staff,
        id=ids("staff_").map(StaffId),
        org_id=st.just(OrgId(org_id)) if org_id else ids("org_").map(OrgId),
        name=st.text(_TEXT, min_size=1, max_size=40).map(str.strip).filter(bool),
        role=st.sampled_from(roles),
        created_at=aware_datetimes(),
        version=st.integers(1, 10),
    )


def actors(org_id: str | None = None, policy: Policy | None = None) -> st.SearchStrategy[Actor]:
    """Actors of one organisation when ``org_id`` is given."""
    return staff(org_id, policy).map(Actor.of)


def contact_refs() -> st.SearchStrategy[ContactRef]:
    """References to a host app's contact."""
    return st.builds(
        ContactRef,
        id=ids("contact_"),
        display_name=st.text(_TEXT, min_size=1, max_size=40).map(str.strip).filter(bool),
    )


def follow_up_drafts(after: DateTime | None = None) -> st.SearchStrategy[FollowUpDraft]:
    """Drafts due after ``after`` (default: any instant)."""
    start = _EPOCH if after is None else _plain(after)
    return st.builds(
        FollowUpDraft,
        due_at=aware_datetimes(min_value=start),
        reason=st.text(_TEXT, max_size=60),
        assigned_to=st.none(),
        forward_to=st.none(),
        priority=st.sampled_from(Priority),
    )


def follow_ups() -> st.SearchStrategy[FollowUp]:
    """Stored follow-ups, done or outstanding."""

    @st.composite
    def build(draw: st.DrawFn) -> FollowUp:
        created = draw(aware_datetimes())
        return FollowUp(
            id=FollowUpId(draw(ids("fu_"))),
            due_at=draw(aware_datetimes(min_value=_plain(created))),
            reason=draw(st.text(_TEXT, max_size=60)),
            assigned_to=draw(st.none() | ids("staff_").map(StaffId)),
            forward_to=draw(st.none() | ids("staff_").map(StaffId)),
            priority=draw(st.sampled_from(Priority)),
            created_at=created,
            done_at=draw(st.none() | aware_datetimes(min_value=_plain(created))),
        )

    return build()


def contact_logs(org_id: str | None = None) -> st.SearchStrategy[ContactLog]:
    """Logs that keep the invariant: ``IN_PROGRESS`` exactly when owned; completed ones say by whom."""

    @st.composite
    def build(draw: st.DrawFn) -> ContactLog:
        status = draw(st.sampled_from(LogStatus))
        creator = StaffId(draw(ids("staff_")))
        owner = StaffId(draw(ids("staff_"))) if status is LogStatus.IN_PROGRESS else None
        created = draw(aware_datetimes())
        updated = draw(aware_datetimes(min_value=_plain(created)))
        completed = status is LogStatus.COMPLETED
        fus = draw(st.lists(follow_ups(), max_size=3, unique_by=lambda f: f.id))
        return ContactLog(
            id=LogId(draw(ids("log_"))),
            org_id=OrgId(org_id or draw(ids("org_"))),
            contact=draw(st.none() | contact_refs()),
            channel=draw(st.sampled_from(Channel)),
            subject=draw(st.text(_TEXT, min_size=1, max_size=80).map(str.strip).filter(bool)),
            notes=draw(st.text(_TEXT, max_size=200)),
            priority=draw(st.sampled_from(Priority)),
            status=status,
            owner=owner,
            created_by=creator,
            created_at=created,
            updated_at=updated,
            completed_by=StaffId(draw(ids("staff_"))) if completed else None,
            completed_at=updated if completed else None,
            follow_ups=tuple(fus),
            version=draw(st.integers(1, 1_000)),
        )

    return build()


def log_commands() -> st.SearchStrategy[LogCommand]:
    """Any command of the ownership table except ``record``."""
    return st.sampled_from([c for c in LogCommand if c is not LogCommand.RECORD])


def _hypothesis_setup_hook() -> None:
    """Register the strategies so ``st.from_type`` finds them (the ``hypothesis`` entry point)."""
    for cls, strategy in (
        (ContactLog, contact_logs()),
        (FollowUp, follow_ups()),
        (FollowUpDraft, follow_up_drafts()),
        (ContactRef, contact_refs()),
        (Policy, policies()),
        (Actor, actors()),
        (Staff, staff()),
        (Organisation, organisations()),
    ):
        st.register_type_strategy(cls, strategy)
