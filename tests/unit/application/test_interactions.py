"""The audit snapshot of an interaction, built by hand, is the converter's own, byte for byte."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from contactlog_core.application.interactions import content_free_snapshot
from contactlog_core.domain.interactions.commands import without_content
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.serialization import unstructure
from contactlog_core.testing.strategies import aware_datetimes

text = st.text(max_size=12)
maybe_id = st.none() | st.text(min_size=1, max_size=8)
interactions = st.builds(
    Interaction,
    id=st.text(min_size=1, max_size=8).map(InteractionId),
    org_id=st.text(min_size=1, max_size=8).map(OrgId),
    client=st.builds(ClientRef, text, text),
    kind=st.sampled_from(InteractionKind),
    direction=st.sampled_from(Direction),
    counterpart=st.builds(Counterpart, text, text),
    subject=text,
    body=text,
    occurred_at=st.builds(
        lambda d, us: d.add(microseconds=us), aware_datetimes(), st.integers(0, 999_999)
    ),
    source=text,
    source_ref=text,
    description=text,
    tags=st.lists(text, max_size=5).map(tuple),
    links=st.builds(InteractionLinks, maybe_id, maybe_id),
    captured_by=text.map(StaffId),
    captured_at=aware_datetimes(),
    updated_at=aware_datetimes(),
    redaction=st.none() | st.builds(Redaction, text.map(StaffId), aware_datetimes()),
    version=st.integers(1, 10**6),
)


@given(interactions)
def test_the_snapshot_is_the_converters_of_the_interaction_without_content(
    interaction: Interaction,
) -> None:
    expected = unstructure(without_content(interaction))
    made = content_free_snapshot(interaction)
    assert json.dumps(made, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
