"""Policies as data: the default matches the seeds; bad configuration is explained.

A host app's policy that is wrong is refused under the field it got wrong, with a plain reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given

from contactlog_core import Permission, Policy, Role, ValidationError
from contactlog_core.testing.strategies import policies


def test_default_policy_matches_the_seeds() -> None:
    policy = Policy.default()
    assert policy.outranks("school_admin", "office_admin")
    assert not policy.outranks("office_admin", "school_admin")
    assert not policy.outranks("office_admin", "office_admin")
    assert policy.top_role == Role("school_admin", 2)
    for permission in Permission:
        assert policy.allows("school_admin", permission)
        assert not policy.allows("office_admin", permission)


def test_a_host_app_builds_its_own_policy_from_a_dict() -> None:
    policy = Policy.from_dict(
        {
            "roles": [
                {"name": "clerk", "rank": 1},
                {"name": "head", "rank": 9},
                {"name": "deputy", "rank": 5},
            ],
            "grants": {"reopen_log": ["head", "deputy"]},
        }
    )
    assert policy.outranks("deputy", "clerk")
    assert policy.allows("deputy", Permission.REOPEN_LOG)
    assert not policy.allows("head", Permission.REDACT_INTERACTION)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"roles": [{"name": "a", "rank": 1}, {"name": "b", "rank": 1}]}, "duplicate rank 1"),
        ({"roles": [{"name": "a", "rank": 1}, {"name": "a", "rank": 2}]}, "duplicate role 'a'"),
        ({"roles": [{"name": "a", "rank": 1}], "grants": {"fly": ["a"]}}, "expected Permission"),
        (
            {"roles": [{"name": "a", "rank": 1}], "grants": {"reopen_log": ["z"]}},
            "unknown role 'z'",
        ),
        ({"roles": []}, "at least one role"),
        ({"roles": [{"name": " ", "rank": 1}]}, "non-empty string"),
        ({"roles": [{"name": "a", "rank": "high"}]}, "expected int"),
        ({"roles": [{"name": "a", "rank": 1, "colour": "red"}]}, "extra fields"),
        ({"rolez": []}, "roles"),
        ("office_admin<school_admin", "expected a mapping"),
        (None, "expected a mapping"),
    ],
)
def test_bad_configuration_gets_a_precise_validation_error(data: Any, says: str) -> None:
    with pytest.raises(ValidationError) as e:
        Policy.from_dict(data)
    assert says in str(e.value)


def test_an_unknown_role_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as e:
        Policy.default().role("janitor")
    assert "unknown role 'janitor'" in str(e.value)
    with pytest.raises(ValidationError):
        Policy.default().allows("janitor", Permission.REOPEN_LOG)


@given(policies())
def test_every_policy_round_trips_through_json(policy: Policy) -> None:
    assert Policy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


# A host app's policy that is wrong ----------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ((), "invalid policy.roles: a policy needs at least one role"),
        (
            (Role(" ", 1),),
            "invalid policy.roles: a role name must be a non-empty string, not ' '",
        ),
        (
            (Role("clerk", 1), Role("clerk", 2)),
            "invalid policy.roles: duplicate role 'clerk'",
        ),
        (
            (Role("clerk", 1), Role("head", 1)),
            "invalid policy.roles: duplicate rank 1: ranks must differ",
        ),
    ],
)
def test_bad_roles_are_refused_under_policy_roles(roles: tuple[Role, ...], message: str) -> None:
    with pytest.raises(ValidationError) as e:
        Policy(roles=roles)
    assert e.value.field == "policy.roles"
    assert str(e.value) == message


@pytest.mark.parametrize(
    ("grants", "message"),
    [
        ({"fly": frozenset({"clerk"})}, "invalid policy.grants: unknown permission 'fly'"),
        (
            {Permission.REOPEN_LOG: frozenset({"clerk", "janitor"})},
            "invalid policy.grants: reopen_log granted to unknown role 'janitor'",
        ),
    ],
)
def test_bad_grants_are_refused_under_policy_grants(
    grants: Mapping[Permission, frozenset[str]], message: str
) -> None:
    with pytest.raises(ValidationError) as e:
        Policy(roles=(Role("clerk", 1),), grants=grants)
    assert e.value.field == "policy.grants"
    assert str(e.value) == message


def test_an_unknown_role_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValidationError) as e:
        Policy.default().role("janitor")
    assert e.value.field == "role"
    assert (
        str(e.value) == "invalid role: unknown role 'janitor' (known: office_admin, school_admin)"
    )


def test_office_admin_cannot_outrank_or_be_granted_through_an_unknown_role() -> None:
    policy = Policy.default()
    for call in (
        lambda: policy.outranks("janitor", "office_admin"),
        lambda: policy.outranks("school_admin", "janitor"),
        lambda: policy.allows("janitor", Permission.REOPEN_LOG),
    ):
        with pytest.raises(ValidationError) as e:
            call()
        assert e.value.field == "role"
