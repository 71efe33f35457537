"""The error hierarchy: structured fields, readable messages, fitting builtins, picklable.

And what a caller reads when something is refused: each error's fields, args, repr and
message. Those errors are built inside the tests (not at import time) so that every check
runs against the code under test, and every message is compared whole: a host app shows
these strings to people, and matches on ``field`` to point at the bad input.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

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


# The errors: fields in args (so repr and pickling carry them) -------------------------------

Make = Callable[[], errors.ContactLogError]

# PermissionDenied and LockedByOther are also PermissionErrors (OSErrors): their args and
# repr are checked on their own below, since OSError once read the first two as errno/strerror.
PLAIN_ERRORS: list[tuple[Make, tuple[object, ...], str]] = [
    (
        lambda: errors.ValidationError("subject", "must not be empty"),
        ("subject", "must not be empty"),
        "invalid subject: must not be empty",
    ),
    (lambda: errors.NotFound("log", "l1"), ("log", "l1"), "no log with id 'l1'"),
    (
        lambda: errors.InvalidTransition("OPEN", "complete", "l1"),
        ("OPEN", "complete", "l1"),
        "cannot complete l1 while it is OPEN",
    ),
    (
        lambda: errors.InvalidTransition("OPEN", "complete"),
        ("OPEN", "complete", ""),
        "cannot complete while it is OPEN",
    ),
    (
        lambda: errors.ConcurrencyConflict("log", "l1", 3, 4),
        ("log", "l1", 3, 4),
        "log l1 changed meanwhile: expected version 3, found at version 4",
    ),
    (
        lambda: errors.StoreUnavailable("save log l1", "database is locked", retryable=True),
        ("save log l1", "database is locked", True),
        "the store could not save log l1: database is locked (try again)",
    ),
    (
        lambda: errors.StoreUnavailable("open a unit of work", "the store is closed"),
        ("open a unit of work", "the store is closed", False),
        "the store could not open a unit of work: the store is closed",
    ),
]

PERMISSION_ERRORS: list[tuple[Make, str]] = [
    (
        lambda: errors.PermissionDenied("reopen_log", "ann", "reopen"),
        "reopen needs the 'reopen_log' permission, which ann lacks",
    ),
    (lambda: errors.LockedByOther("l1", "ann", "take"), "cannot take log l1: it is held by ann"),
    (
        lambda: errors.LockedByOther("d1", "ann", "schedule", kind="lead"),
        "cannot schedule lead d1: it is held by ann",
    ),
    (
        lambda: errors.LockedByOther("l1", "ann", "take", owner_name="Ann Lee"),
        "cannot take log l1: it is held by Ann Lee (ann)",
    ),
]

ALL_ERRORS: list[tuple[Make, str]] = [
    (make, message) for make, _, message in PLAIN_ERRORS
] + PERMISSION_ERRORS


@pytest.mark.parametrize(("make", "args", "message"), PLAIN_ERRORS)
def test_an_error_carries_its_fields_in_args_repr_and_message(
    make: Make, args: tuple[object, ...], message: str
) -> None:
    error = make()
    assert error.args == args
    assert repr(error) == f"{type(error).__name__}{args!r}"
    assert str(error) == message


@pytest.mark.parametrize(("make", "message"), ALL_ERRORS)
def test_an_error_built_at_run_time_survives_pickling(make: Make, message: str) -> None:
    error = make()
    assert str(error) == message
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert vars(copy) == vars(error)
    assert str(copy) == message


@pytest.mark.parametrize(
    ("make", "args"),
    [
        (
            lambda: errors.PermissionDenied("reopen_log", "ann", "reopen"),
            ("reopen_log", "ann", "reopen"),
        ),
        (
            lambda: errors.LockedByOther("l1", "ann", "take", "Ann"),
            ("l1", "ann", "take", "Ann", "log"),
        ),
        (
            lambda: errors.LockedByOther("d1", "ann", "schedule", kind="lead"),
            ("d1", "ann", "schedule", "", "lead"),
        ),
    ],
)
def test_a_permission_error_repr_names_every_field(make: Make, args: tuple[object, ...]) -> None:
    error = make()
    assert error.args == args
    assert repr(error) == f"{type(error).__name__}{args!r}"


def test_a_lock_error_without_a_display_name_names_only_the_owner_id() -> None:
    e = errors.LockedByOther("l1", "ann", "take")
    assert e.owner_name == ""
    assert str(e) == "cannot take log l1: it is held by ann"


def test_an_invalid_transition_without_a_record_has_an_empty_record_id() -> None:
    e = errors.InvalidTransition("done", "complete_follow_up")
    assert e.record_id == ""
    assert (e.status, e.command) == ("done", "complete_follow_up")


def test_permission_denied_names_the_actor_who_lacks_it() -> None:
    e = errors.PermissionDenied("reopen_log", "alice", "reopen")
    assert (e.permission, e.actor, e.command) == ("reopen_log", "alice", "reopen")


def test_not_found_and_validation_errors_keep_their_fields() -> None:
    nf = errors.NotFound("staff", "bob")
    assert (nf.kind, nf.id) == ("staff", "bob")
    ve = errors.ValidationError("notes", "too long")
    assert (ve.field, ve.reason) == ("notes", "too long")


def test_a_store_error_says_whether_trying_again_may_help() -> None:
    busy = errors.StoreUnavailable("save log l1", "database is locked", retryable=True)
    assert (busy.operation, busy.reason, busy.retryable) == (
        "save log l1",
        "database is locked",
        True,
    )
    broken = errors.StoreUnavailable("save log l1", "file is not a database")
    assert broken.retryable is False
    assert str(broken) == "the store could not save log l1: file is not a database"
    assert isinstance(broken, RuntimeError)
    assert isinstance(broken, errors.ContactLogError)
