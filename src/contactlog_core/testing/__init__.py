"""Testing support for users: Hypothesis strategies, the state machines, the reference models.

Needs the ``testing`` extra (``pip install contactlog-core[testing]``).
"""

from contactlog_core.testing.lead_machine import LeadMachine
from contactlog_core.testing.lead_reference import RefLead, ref_outcome, ref_status
from contactlog_core.testing.reference import RefLog, reference_outcome
from contactlog_core.testing.stateful import OwnershipMachine

__all__ = [
    "LeadMachine",
    "OwnershipMachine",
    "RefLead",
    "RefLog",
    "ref_outcome",
    "ref_status",
    "reference_outcome",
]
