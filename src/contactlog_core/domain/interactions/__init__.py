"""Interactions: the model, capture and corrections, auto-naming, search, and tagging."""

from typing import TYPE_CHECKING

from contactlog_core._moved import moved_attribute

if not TYPE_CHECKING:  # type checkers see the names where they are now

    def __getattr__(name: str) -> object:
        # The names of the old module of this path, for one release (see ``_moved``).
        return moved_attribute(__name__, name)
