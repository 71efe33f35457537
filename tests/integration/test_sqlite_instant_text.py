"""The sweep writes audit snapshots in SQL: its instants read exactly as the converter writes them."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from contactlog_core.adapters.sqlite.lead_sweep import _iso
from contactlog_core.instants import from_micros
from contactlog_core.serialization import unstructure

# 1900 to 2200, either side of 1970 (where integer division in SQL would round the wrong way).
MICROS = st.integers(-2_208_988_800_000_000, 7_258_118_400_000_000)


@given(st.lists(MICROS | st.sampled_from([0, -1, 1, -1_000_000, 999_999]), min_size=1))
def test_sql_instant_text_equals_the_converters(values: list[int]) -> None:
    conn = sqlite3.connect(":memory:")
    for micros in values:
        (text,) = conn.execute("SELECT " + _iso(":m"), {"m": micros}).fetchone()
        assert text == unstructure(from_micros(micros))
    assert conn.execute("SELECT " + _iso("NULL")).fetchone() == (None,)
