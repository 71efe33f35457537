"""Hypothesis profiles, and which tests run in which session.

Profiles, chosen by ``HYPOTHESIS_PROFILE`` (``dev`` when unset):

``dev``
    A developer's plain ``pytest``: 30 examples a property, small machines.
``ci``
    ``nox -s tests``, the fast session: 200 examples a property, as before; the
    machines and the heavy properties run smaller (see ``sized`` below).
``long``
    ``nox -s long``: the same settings as ``ci``, and the machines and heavy
    properties at their full size.
``torture``
    ``nox -s torture``: the long runs in ``tests/torture``.

Markers (declared in ``pyproject.toml``; ``--strict-markers`` is on):

``stateful``
    A Hypothesis state machine. Runs in both sessions, its example count set by
    ``tests.support.sizes.examples(dev=..., ci=..., long=..., torture=...)``.
``sized``
    A heavy ``@given`` property, sized by ``examples(...)`` the same way; runs in
    both sessions. Only machines are ``stateful``; any other test sized by the
    profile is ``sized``.
``slow``
    A heavy case that is not sized by the profile (memory held flat over
    thousands of rows, 10,000 rows of PDF, a writer killed over and over, a
    docs page whose examples run Hypothesis properties). Runs only in
    ``nox -s long``, at its full size; a plain ``pytest`` runs it too.

``nox -s tests`` runs ``-m "not slow"`` under ``ci``; ``nox -s long`` runs
``-m "slow or stateful or sized"`` under ``long``. How big each is: ``long`` is
the full size (what ``ci`` ran before the split); ``ci`` is about a tenth of it,
at least 20 examples and never fewer than ``dev``. A new test that takes over
about 3 s under ``ci`` gets one of these markers.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=200, deadline=None, print_blob=True)
settings.register_profile(
    "torture", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
