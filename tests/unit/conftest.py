"""Fixtures named after the seeds' people: office admins, a school admin, an outsider."""

from __future__ import annotations

import pytest

from contactlog_core import Actor, ContactLog, LogId, Policy, Staff
from contactlog_core.domain.logs import commands
from tests.support.seeds import NOW, make_staff


@pytest.fixture
def policy() -> Policy:
    return Policy.default()


@pytest.fixture
def office_admin() -> Actor:
    return Actor.of(make_staff("alice", "office_admin"))


@pytest.fixture
def other_office_admin() -> Actor:
    return Actor.of(make_staff("bob", "office_admin"))


@pytest.fixture
def school_admin() -> Actor:
    return Actor.of(make_staff("hana", "school_admin"))


@pytest.fixture
def other_school_admin() -> Actor:
    return Actor.of(make_staff("dan", "school_admin"))


@pytest.fixture
def outsider() -> Actor:
    return Actor.of(make_staff("eve", "school_admin", org="elsewhere"))


@pytest.fixture
def bob_staff() -> Staff:
    return make_staff("bob", "office_admin")


@pytest.fixture
def held_log(office_admin: Actor) -> ContactLog:
    """A log just recorded by the office admin: IN_PROGRESS, held by her."""
    return commands.record(
        log_id=LogId("log-1"), actor=office_admin, now=NOW, contact=None, subject="Bus times"
    ).after


@pytest.fixture
def open_log(held_log: ContactLog, office_admin: Actor, policy: Policy) -> ContactLog:
    return commands.surrender(held_log, office_admin, NOW, policy).after


@pytest.fixture
def completed_log(held_log: ContactLog, office_admin: Actor, policy: Policy) -> ContactLog:
    return commands.complete(held_log, office_admin, NOW, policy).after
