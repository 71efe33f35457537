"""A host app's policy that is wrong is refused under the field it got wrong, with a plain reason."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from contactlog_core import Permission, Policy, Role, ValidationError


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
