"""The error hierarchy: structured fields, readable messages, fitting builtins, picklable."""

from __future__ import annotations

import pickle

import pytest

from contactlog_core import errors

CASES = [
    (
        errors.ValidationError("subject", "must not be empty"),
        ValueError,
        "invalid subject: must not be empty",
    ),
    (errors.NotFound("log", "l1"), LookupError, "no log with id 'l1'"),
    (
        errors.PermissionDenied("reopen_log", "ann", "reopen"),
        PermissionError,
        "reopen needs the 'reopen_log' permission, which ann lacks",
    ),
    (
        errors.LockedByOther("l1", "ann", "take"),
        PermissionError,
        "cannot take log l1: it is held by ann",
    ),
    (
        errors.LockedByOther("l1", "ann", "take", owner_name="Ann Lee"),
        PermissionError,
        "cannot take log l1: it is held by Ann Lee (ann)",
    ),
    (
        errors.InvalidTransition("OPEN", "complete", "l1"),
        ValueError,
        "cannot complete l1 while it is OPEN",
    ),
    (errors.InvalidTransition("OPEN", "complete"), ValueError, "cannot complete while it is OPEN"),
    (
        errors.ConcurrencyConflict("log", "l1", 3, 4),
        RuntimeError,
        "log l1 changed meanwhile: expected version 3, found at version 4",
    ),
    (
        errors.ConcurrencyConflict("log", "l1", 3, None),
        RuntimeError,
        "log l1 changed meanwhile: expected version 3, found gone",
    ),
]


@pytest.mark.parametrize(("error", "builtin", "message"), CASES)
def test_each_error_is_a_contactlog_error_and_a_builtin_with_a_derived_message(
    error: errors.ContactLogError, builtin: type[Exception], message: str
) -> None:
    assert isinstance(error, errors.ContactLogError)
    assert isinstance(error, builtin)
    assert str(error) == message


@pytest.mark.parametrize(("error", "builtin", "message"), CASES)
def test_errors_survive_a_trip_to_another_process(
    error: errors.ContactLogError, builtin: type[Exception], message: str
) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert vars(copy) == vars(error)
    assert str(copy) == message


def test_locked_by_other_names_the_owner() -> None:
    e = errors.LockedByOther("l1", "ann", "take")
    assert (e.log_id, e.owner, e.command, e.kind) == ("l1", "ann", "take", "log")


def test_locked_by_other_holds_leads_too() -> None:
    e = errors.LockedByOther("d1", "ann", "archive", kind="lead")
    assert (e.record_id, e.kind) == ("d1", "lead")


def test_concurrency_conflict_names_record_and_versions() -> None:
    e = errors.ConcurrencyConflict("log", "l1", 3, 4)
    assert (e.kind, e.id, e.expected, e.actual) == ("log", "l1", 3, 4)
