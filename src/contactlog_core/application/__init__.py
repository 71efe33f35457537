"""Use cases: one service per aggregate, one use case = one unit of work."""

from contactlog_core.application.app import ContactLogApp

__all__ = ["ContactLogApp"]
