"""The ids every record is found by: an organisation's and a staff member's.

Each record's own id type (``LogId``, ``LeadId``, ``InteractionId``) lives with
its model; these two sit in the shared kernel because every aggregate, the
audit trail and every change name them.
"""

from __future__ import annotations

from typing import NewType

__all__ = ["OrgId", "StaffId"]

OrgId = NewType("OrgId", str)
StaffId = NewType("StaffId", str)
