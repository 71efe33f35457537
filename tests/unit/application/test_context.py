"""Record ids: 32 hex digits, distinct, and later ones sort later (indexes grow at their end)."""

from __future__ import annotations

import re
import time

from contactlog_core.application.context import new_id


def test_ids_are_32_hex_digits_and_never_repeat() -> None:
    ids = [new_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_ids_made_later_sort_later() -> None:
    made = []
    for _ in range(5):
        made.append(new_id())
        time.sleep(0.002)  # ids of one microsecond are in random order; a pause orders them
    assert made == sorted(made)
