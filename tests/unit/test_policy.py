"""Policies as data: the default matches the seeds; bad configuration is explained."""

from __future__ import annotations

import json
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
