"""Small rules that the larger tests pass over: orderings, limits, text hygiene."""

from __future__ import annotations

import pytest
from seeds import NOW

from contactlog_core import (
    Actor,
    ContactLog,
    FollowUpDraft,
    FollowUpId,
    Policy,
    Priority,
    ValidationError,
)
from contactlog_core.domain.logs import commands
from contactlog_core.domain.shared import validation as check


def test_priorities_rank_from_low_to_urgent() -> None:
    ranks = [p.rank for p in (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)]
    assert ranks == [0, 1, 2, 3]


def test_text_with_nul_characters_is_refused() -> None:
    with pytest.raises(ValidationError):
        check.text("bus\x00route", "subject", max_length=50)
    assert check.text("  bus  ", "subject", max_length=3) == "bus"
    assert check.text("", "notes", max_length=3, required=False) == ""


def test_a_log_holds_at_most_a_hundred_follow_ups(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    drafts = [
        commands.new_follow_up(FollowUpId(f"f{i}"), FollowUpDraft(due_at=NOW.add(days=1)), NOW)
        for i in range(commands.MAX_FOLLOW_UPS + 1)
    ]
    with pytest.raises(ValidationError):
        commands.record(
            log_id="l", actor=office_admin, now=NOW, contact=None, subject="s", follow_ups=drafts
        )
    full = commands.record(
        log_id="l", actor=office_admin, now=NOW, contact=None, subject="s", follow_ups=drafts[:-1]
    ).after
    with pytest.raises(ValidationError):
        commands.add_follow_up(full, office_admin, NOW, policy, drafts[-1])


def test_follow_up_lookup_by_id(held_log: ContactLog, office_admin: Actor, policy: Policy) -> None:
    fu = commands.new_follow_up(FollowUpId("f1"), FollowUpDraft(due_at=NOW), NOW)
    log = commands.add_follow_up(held_log, office_admin, NOW, policy, fu).after
    assert log.follow_up("f1") == fu
    assert log.follow_up("f2") is None
    assert fu.due_at == NOW  # due exactly now is not in the past


def test_text_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(ValidationError):
        check.text("bus \ud800 route", "subject", max_length=50)
    assert check.text("Élodie ✓ 🚌", "subject", max_length=50) == "Élodie ✓ 🚌"


def test_names_fold_to_words_that_prefixes_match() -> None:
    from contactlog_core.domain.shared.text import fold, name_key, name_words

    assert fold("Élodie ÇA Straße") == "elodie ca strasse"
    assert name_words("Bob O'Brien-Lee") == ["bob", "o", "brien", "lee"]
    assert name_key("Bob O'Brien-Lee") == " bob o brien lee"
    assert name_key("") == ""
