"""What a caller reads when something is refused: each error's fields, args, repr and message.

The errors are built inside the tests (not at import time) so that every check runs
against the code under test, and every message is compared whole: a host app shows
these strings to people, and matches on ``field`` to point at the bad input.
"""

from __future__ import annotations

import datetime as dt
import pickle
import time
from collections.abc import Callable, Iterator

import pytest
from seeds import NOW

from contactlog_core import errors
from contactlog_core.domain.logs.model import Channel
from contactlog_core.domain.shared import validation as check
from contactlog_core.instants import require_aware, require_timezone

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


# Text, ids and choices from callers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "invalid subject: expected text, got int"),
        ("   ", "invalid subject: must not be empty"),
        ("abcd", "invalid subject: at most 3 characters, got 4"),
        ("a\x00b", "invalid subject: must not contain NUL characters"),
        ("a\ud800", "invalid subject: must be valid Unicode (no lone surrogates)"),
    ],
)
def test_bad_text_is_refused_with_a_message_that_says_why(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.text(value, "subject", max_length=3)
    assert e.value.field == "subject"
    assert str(e.value) == message


def test_optional_text_may_be_empty_but_not_too_long() -> None:
    assert check.text("  ", "notes", max_length=3, required=False) == ""
    with pytest.raises(errors.ValidationError) as e:
        check.text(" abcd ", "notes", max_length=3, required=False)
    assert str(e.value) == "invalid notes: at most 3 characters, got 4"


def test_an_id_of_exactly_the_maximum_length_is_accepted() -> None:
    longest = "x" * check.MAX_ID_LENGTH
    assert check.identifier(longest, "contact.id") == longest
    with pytest.raises(errors.ValidationError) as e:
        check.identifier(longest + "x", "contact.id")
    assert e.value.field == "contact.id"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "invalid contact.id: expected an id (1 to 128 characters), got ''"),
        (7, "invalid contact.id: expected an id (1 to 128 characters), got 7"),
        ("p\n1", "invalid contact.id: an id must contain printable characters only"),
    ],
)
def test_bad_ids_are_refused_with_a_message_that_says_why(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.identifier(value, "contact.id")
    assert e.value.field == "contact.id"
    assert str(e.value) == message


def test_an_unknown_choice_lists_the_allowed_values() -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.choice("fax", Channel, "channel")
    assert e.value.field == "channel"
    assert str(e.value) == (
        "invalid channel: 'fax' is not one of: phone, email, in_person, letter, sms, other"
    )


# Instants and time zones --------------------------------------------------------------------


class _NoOffset(dt.tzinfo):
    """A time zone that does not know its offset: Python counts such datetimes as naive."""

    def utcoffset(self, _: dt.datetime | None) -> dt.timedelta | None:
        return None

    def dst(self, _: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, _: dt.datetime | None) -> str | None:
        return None


def test_a_non_datetime_is_refused_naming_its_type() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware("2026-11-02T09:00:00Z", "now")
    assert e.value.field == "now"
    assert str(e.value) == "invalid now: expected a timezone-aware datetime, got str"


def test_a_naive_datetime_is_refused_with_advice() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware(dt.datetime(2026, 11, 2, 9), "due_at")
    assert e.value.field == "due_at"
    assert str(e.value) == "invalid due_at: a naive datetime has no time zone; pass an aware one"


def test_a_datetime_whose_zone_has_no_offset_counts_as_naive() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware(dt.datetime(2026, 11, 2, 9, tzinfo=_NoOffset()), "now")
    assert e.value.reason == "a naive datetime has no time zone; pass an aware one"


def test_an_aware_instant_comes_back_in_the_utc_zone() -> None:
    tokyo = NOW.in_timezone("Asia/Tokyo")
    back = require_aware(tokyo, "now")
    assert back == NOW
    assert back.timezone_name == "UTC"


@pytest.fixture
def machine_in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone is Asia/Tokyo for the test, then back."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_tokyo")
def test_an_aware_instant_comes_back_in_utc_whatever_the_machines_zone() -> None:
    back = require_aware(NOW.in_timezone("Europe/London"), "now")
    assert back == NOW
    assert (back.hour, back.utcoffset(), back.timezone_name) == (9, dt.timedelta(0), "UTC")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "invalid timezone: expected an IANA time zone name such as 'Europe/London'"),
        (None, "invalid timezone: expected an IANA time zone name such as 'Europe/London'"),
        ("Mars/Olympus_Mons", "invalid timezone: unknown time zone 'Mars/Olympus_Mons'"),
    ],
)
def test_a_bad_time_zone_is_refused_under_the_timezone_field(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_timezone(value)
    assert e.value.field == "timezone"
    assert str(e.value) == message


def test_a_bad_time_zone_is_refused_under_the_callers_field() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_timezone("Mars/Olympus_Mons", "organisation.timezone")
    assert e.value.field == "organisation.timezone"
    with pytest.raises(errors.ValidationError) as e:
        require_timezone(3, "organisation.timezone")
    assert e.value.field == "organisation.timezone"
