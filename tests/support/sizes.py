"""How many examples a heavy test runs, by the Hypothesis profile in force.

The profile is ``HYPOTHESIS_PROFILE`` (``dev`` when unset), the one that
``tests/conftest.py`` loads. A state machine or a heavy property test names
its count for each profile, so that one line says how big it is everywhere::

    TestOwnership.settings = settings(
        max_examples=examples(dev=30, ci=200, long=2_000, torture=20_000), ...
    )

``long`` is the full size (``nox -s long``); ``ci`` keeps ``nox -s tests`` quick
while still running the case; ``dev`` is a developer's plain ``pytest``.
"""

from __future__ import annotations

import os

PROFILES = ("dev", "ci", "long", "torture")


def profile() -> str:
    """The Hypothesis profile the tests run under: ``HYPOTHESIS_PROFILE``, else ``dev``."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    if name not in PROFILES:
        raise ValueError(f"HYPOTHESIS_PROFILE={name!r}: expected one of {', '.join(PROFILES)}")
    return name


def examples(*, dev: int, ci: int, long: int, torture: int) -> int:
    """The example count for the profile in force."""
    return {"dev": dev, "ci": ci, "long": long, "torture": torture}[profile()]
