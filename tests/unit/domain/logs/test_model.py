"""The contact-log aggregate's own rules: how priorities rank, and finding a follow-up by its id."""

from __future__ import annotations

from contactlog_core import Actor, ContactLog, FollowUpDraft, FollowUpId, Policy, Priority
from contactlog_core.domain.logs import commands
from tests.support.seeds import NOW


def test_priorities_rank_from_low_to_urgent() -> None:
    ranks = [p.rank for p in (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)]
    assert ranks == [0, 1, 2, 3]


def test_follow_up_lookup_by_id(held_log: ContactLog, office_admin: Actor, policy: Policy) -> None:
    fu = commands.new_follow_up(FollowUpId("f1"), FollowUpDraft(due_at=NOW), NOW)
    log = commands.add_follow_up(held_log, office_admin, NOW, policy, fu).after
    assert log.follow_up("f1") == fu
    assert log.follow_up("f2") is None
    assert fu.due_at == NOW  # due exactly now is not in the past
