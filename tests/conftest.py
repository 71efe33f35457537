"""Hypothesis profiles: ``ci`` (nox's default) runs more examples than ``dev``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# Shared builders and strategies (``lead_seeds``, the torture helpers) for every test folder.
sys.path.insert(0, str(Path(__file__).parent / "support"))

settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "torture", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
