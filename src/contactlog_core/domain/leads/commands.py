"""Pure transitions of a sales lead: ``(lead, actor, now, timezone, policy, ...) -> Change``.

Each one first settles the lead (what the clock has made of it by ``now``),
asks ``rules.authorise_lead`` whether the table allows the command from
that status, then builds the new lead with ``version + 1`` and its status
aged at ``now``. ``policy`` is the roles-and-permissions ``Policy``;
``aging`` is the organisation's ``AgingPolicy``. No clock, no storage.
"""

from __future__ import annotations

from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.leads.aging import (
    AgingCutoffs,
    AgingPolicy,
    age,
    settle,
    settled_as,
    status_by_cutoffs,
)
from contactlog_core.domain.leads.model import (
    ArchiveReason,
    Lead,
    LeadCommand,
    LeadId,
    LeadStatus,
    TouchKind,
)
from contactlog_core.domain.leads.rules import (
    LeadOwnerAfter,
    LeadRule,
    authorise_lead,
    lead_rule_for,
)
from contactlog_core.domain.organisations.model import Actor, OrgId, Staff, StaffId
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.errors import NotFound, ValidationError
from contactlog_core.instants import require_aware, require_timezone

__all__ = [
    "STAFF_TOUCHES",
    "LeadChange",
    "add",
    "age_change",
    "archive",
    "assign",
    "claim",
    "reactivate",
    "schedule",
    "sweep_change",
    "touch",
    "validate_note",
]

LeadChange = Change[Lead]

MAX_NAME = 200
MAX_CONTACT = 200
MAX_NOTE = 2_000

STAFF_TOUCHES = frozenset({TouchKind.CALL, TouchKind.NOTE, TouchKind.EMAIL, TouchKind.MEETING})
"""The touches a caller logs with ``touch``; the other kinds name the command that touched."""

_TOUCH_KIND = {
    LeadCommand.ADD: TouchKind.ADD,
    LeadCommand.SCHEDULE: TouchKind.SCHEDULE,
    LeadCommand.CLAIM: TouchKind.CLAIM,
    LeadCommand.ASSIGN: TouchKind.ASSIGN,
    LeadCommand.REACTIVATE: TouchKind.REACTIVATE,
}


def add(
    *,
    lead_id: LeadId | str,
    actor: Actor,
    now: DateTime,
    timezone: str,
    policy: Policy,
    aging: AgingPolicy,
    name: str,
    contact: str = "",
    follow_up_at: DateTime | None = None,
    assignee: Staff | None = None,
) -> LeadChange:
    """A new lead, owned by ``assignee`` (a colleague) or else by its creator.

    With a ``follow_up_at`` (in the future) it is ``SCHEDULED``, else ``NOT_SCHEDULED``.
    """
    now = _Call.checked(actor, now, timezone, policy, aging).now
    rule = lead_rule_for(LeadCommand.ADD)
    assignee_id = None if assignee is None else _colleague(assignee, actor.org_id)
    lead = Lead(
        id=LeadId(check.identifier(lead_id, "lead_id")),
        org_id=actor.org_id,
        name=check.text(name, "name", max_length=MAX_NAME),
        contact=check.text(contact, "contact", max_length=MAX_CONTACT, required=False),
        owner=_owner_after(rule, None, actor, assignee_id),
        follow_up_at=None if follow_up_at is None else _ahead(follow_up_at, now, "follow_up_at"),
        last_touch_at=now,
        last_touch_by=actor.staff_id,
        last_touch_kind=_TOUCH_KIND[rule.command],
        archived_reason=None,
        archive_note="",
        status=LeadStatus.NOT_SCHEDULED,
        created_by=actor.staff_id,
        created_at=now,
        updated_at=now,
    )
    lead = attrs.evolve(lead, status=age(lead, now, timezone, aging))
    return Change(command=rule.command, actor=actor.staff_id, at=now, before=None, after=lead)


def schedule(
    lead: Lead,
    actor: Actor,
    now: DateTime,
    timezone: str,
    policy: Policy,
    *,
    aging: AgingPolicy,
    at: DateTime,
) -> LeadChange:
    """Set the next follow-up (owner only); ``at`` must be in the future."""
    now = require_aware(now, "now")
    follow_up = _ahead(at, now, "at")
    call = _Call.checked(actor, now, timezone, policy, aging)
    return _apply(lead, LeadCommand.SCHEDULE, call, follow_up_at=follow_up)


def touch(
    lead: Lead,
    actor: Actor,
    now: DateTime,
    timezone: str,
    policy: Policy,
    *,
    aging: AgingPolicy,
    kind: TouchKind | str = TouchKind.CALL,
    note: str = "",
) -> LeadChange:
    """Log a call, note, email or meeting on the lead; anyone may, and the owner's clock restarts.

    The ``note`` is not kept on the lead: check it with ``validate_note`` and
    keep it with the audit event.
    """
    chosen = check.choice(kind, TouchKind, "kind")
    if chosen not in STAFF_TOUCHES:
        allowed = ", ".join(k.value for k in TouchKind if k in STAFF_TOUCHES)
        raise ValidationError("kind", f"{chosen.value!r} is not one of: {allowed}")
    validate_note(note)
    call = _Call.checked(actor, now, timezone, policy, aging)
    return _apply(lead, LeadCommand.TOUCH, call, touch_kind=chosen)


def claim(
    lead: Lead, actor: Actor, now: DateTime, timezone: str, policy: Policy, *, aging: AgingPolicy
) -> LeadChange:
    """Take an abandoned or available lead: first come, first served."""
    return _apply(lead, LeadCommand.CLAIM, _Call.checked(actor, now, timezone, policy, aging))


def assign(
    lead: Lead,
    actor: Actor,
    now: DateTime,
    timezone: str,
    policy: Policy,
    *,
    aging: AgingPolicy,
    assignee: Staff,
    owner_role: str | None = None,
) -> LeadChange:
    """Give the lead to ``assignee``: the owner may, or anyone who outranks the owner's role."""
    call = _Call.checked(actor, now, timezone, policy, aging)
    return _apply(lead, LeadCommand.ASSIGN, call, owner_role=owner_role, assignee=assignee)


def archive(
    lead: Lead,
    actor: Actor,
    now: DateTime,
    timezone: str,
    policy: Policy,
    *,
    aging: AgingPolicy,
    reason: ArchiveReason | str,
    note: str = "",
    owner_role: str | None = None,
) -> LeadChange:
    """Archive the lead as lost or do-not-contact; it stops aging and stays searchable."""
    archived: dict[str, Any] = {
        "archived_reason": check.choice(reason, ArchiveReason, "reason"),
        "archive_note": validate_note(note, "archive_note"),
    }
    call = _Call.checked(actor, now, timezone, policy, aging)
    return _apply(lead, LeadCommand.ARCHIVE, call, owner_role=owner_role, **archived)


def reactivate(
    lead: Lead, actor: Actor, now: DateTime, timezone: str, policy: Policy, *, aging: AgingPolicy
) -> LeadChange:
    """Bring an archived lead back, unscheduled, owned by ``actor`` (needs ``reactivate_lead``)."""
    call = _Call.checked(actor, now, timezone, policy, aging)
    return _apply(lead, LeadCommand.REACTIVATE, call, **_REACTIVATED)


# What reactivating clears: the archive's reason and note, and any follow-up.
_REACTIVATED: dict[str, Any] = {"archived_reason": None, "archive_note": "", "follow_up_at": None}


def age_change(lead: Lead, now: DateTime, timezone: str, policy: AgingPolicy) -> LeadChange | None:
    """The clock's move of one lead at ``now`` (``AGE``, by nobody); ``None`` if it has none.

    For one lead at a time: its deadlines are worked out from its own anchor.
    A sweep over many leads asks ``sweep_change`` with cutoffs worked out once;
    the two give the same change.
    """
    now = require_aware(now, "now")
    return _aged(lead, settle(lead, now, timezone, policy), now)


def sweep_change(lead: Lead, cutoffs: AgingCutoffs) -> LeadChange | None:
    """The sweep's move of one lead at ``cutoffs.now``: ``age_change`` by comparisons alone."""
    return _aged(lead, settled_as(lead, status_by_cutoffs(lead, cutoffs)), cutoffs.now)


def _aged(lead: Lead, settled: Lead, now: DateTime) -> LeadChange | None:
    # The clock has moved the lead when its aged status, or the lead bank's no-owner rule,
    # says other than what is stored. A lead written after ``now`` is newer than the clock
    # reading knows, and is left alone: a sweep that read the clock earlier never writes a
    # lead back in time.
    if settled is lead or lead.updated_at > now:
        return None
    after = attrs.evolve(settled, updated_at=now, version=lead.version + 1)
    return Change(command=LeadCommand.AGE, actor=None, at=now, before=lead, after=after)


def validate_note(note: object, field: str = "note") -> str:
    """A touch's or an archive's note, trimmed: at most ``MAX_NOTE`` characters, may be empty."""
    return check.text(note, field, max_length=MAX_NOTE, required=False)


@attrs.frozen
class _Call:
    """One call of a lead command: who, when, in which zone, under which policies; checked once."""

    actor: Actor
    now: DateTime
    timezone: str
    policy: Policy
    aging: AgingPolicy

    @classmethod
    def checked(
        cls, actor: Actor, now: object, timezone: str, policy: object, aging: object
    ) -> _Call:
        """The zone, both policies and ``now`` checked (in that order), or ``ValidationError``."""
        require_timezone(timezone)
        if not isinstance(policy, Policy):
            raise ValidationError(
                "policy",
                f"expected the roles Policy, got {type(policy).__name__} (aging goes in aging=)",
            )
        if not isinstance(aging, AgingPolicy):
            raise ValidationError("aging", f"expected an AgingPolicy, got {type(aging).__name__}")
        return cls(actor, require_aware(now, "now"), timezone, policy, aging)


def _apply(
    lead: Lead,
    command: LeadCommand,
    call: _Call,
    *,
    owner_role: str | None = None,
    assignee: Staff | None = None,
    touch_kind: TouchKind | None = None,
    **changes: Any,
) -> LeadChange:
    actor, now, timezone, aging = call.actor, call.now, call.timezone, call.aging
    settled = settle(lead, now, timezone, aging)
    rule = authorise_lead(settled, command, actor, call.policy, owner_role)
    assignee_id = None if assignee is None else _colleague(assignee, lead.org_id)
    if rule.restarts_clock:
        changes.update(
            last_touch_at=now,
            last_touch_by=actor.staff_id,
            last_touch_kind=touch_kind or _TOUCH_KIND[rule.command],
        )
    after = attrs.evolve(
        settled,
        owner=_owner_after(rule, settled.owner, actor, assignee_id),
        updated_at=now,
        version=lead.version + 1,
        **changes,
    )
    after = attrs.evolve(after, status=age(after, now, timezone, aging))
    # ``before`` is the lead as it stood at ``now`` (settled), at the version that was read.
    return Change(command=rule.command, actor=actor.staff_id, at=now, before=settled, after=after)


def _owner_after(
    rule: LeadRule, owner: StaffId | None, actor: Actor, assignee: StaffId | None
) -> StaffId | None:
    if rule.owner_after is LeadOwnerAfter.ASSIGNEE:
        assert assignee is not None, "an ASSIGNEE rule is given its assignee"
    return {
        LeadOwnerAfter.ACTOR: actor.staff_id,
        LeadOwnerAfter.ASSIGNEE: assignee,
        LeadOwnerAfter.ASSIGNEE_OR_ACTOR: assignee or actor.staff_id,
        LeadOwnerAfter.UNCHANGED: owner,
    }[rule.owner_after]


def _colleague(staff: Staff, org_id: OrgId) -> StaffId:
    # Staff of another organisation do not exist for this one.
    if not isinstance(staff, Staff) or staff.org_id != org_id:
        raise NotFound("staff", str(getattr(staff, "id", staff)))
    return staff.id


def _ahead(value: object, now: DateTime, field: str) -> DateTime:
    at = require_aware(value, field)
    if at <= now:
        raise ValidationError(
            field, f"{at.isoformat()} is not in the future (now is {now.isoformat()})"
        )
    return at
