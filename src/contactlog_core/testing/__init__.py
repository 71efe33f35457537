"""Testing support for users: Hypothesis strategies, the ownership state machine, the reference model.

Needs the ``testing`` extra (``pip install contactlog-core[testing]``).
"""

from contactlog_core.testing.reference import RefLog, reference_outcome
from contactlog_core.testing.stateful import OwnershipMachine

__all__ = ["OwnershipMachine", "RefLog", "reference_outcome"]
