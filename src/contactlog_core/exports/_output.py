"""What every writer shares: the checks of its arguments, the rows and their count, the target."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeAlias

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.exports.columns import interaction_row, zone_named

__all__ = ["BinarySink", "Rows", "Target", "check_target", "missing_library", "open_target"]

INSTALL_HINT = "pip install 'contactlog-core[export]'"


class BinarySink(Protocol):
    """A file opened for writing bytes (``open(path, "wb")``, ``io.BytesIO()``, a socket file...)."""

    def write(self, data: bytes, /) -> object: ...


Target: TypeAlias = str | os.PathLike[str] | BinarySink
"""Where an export goes: a file path, or a binary file object (left open)."""


class Rows:
    """The rows of ``interactions`` in ``timezone``, counted and reported to ``progress``.

    The arguments are checked when the object is made, before any output
    exists. Iterating checks each item and yields its cells; ``finish()``
    makes the last progress report and returns the count.
    """

    def __init__(
        self,
        interactions: Iterable[Interaction],
        *,
        timezone: str,
        progress: Callable[[int], None] | None,
        every: int,
    ) -> None:
        zone_named(timezone)
        if progress is not None and not callable(progress):
            raise ValidationError("progress", f"expected a function or None, got {progress!r:.60}")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValidationError("every", f"expected a whole number >= 1, got {every!r:.60}")
        try:
            self._items = iter(interactions)
        except TypeError:
            raise ValidationError(
                "interactions",
                f"expected an iterable of Interaction, got {type(interactions).__name__}",
            ) from None
        self._timezone = timezone
        self._progress = progress
        self._every = every
        self.count = 0

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        timezone, progress, every = self._timezone, self._progress, self._every
        for item in self._items:
            if not isinstance(item, Interaction):
                raise ValidationError(
                    f"interactions[{self.count}]",
                    f"expected an Interaction, got {type(item).__name__}",
                )
            yield interaction_row(item, timezone)
            self.count += 1
            if progress is not None and self.count % every == 0:
                progress(self.count)

    def finish(self) -> int:
        """Report the total (unless the last report already said it) and return it."""
        if self._progress is not None and (self.count == 0 or self.count % self._every):
            self._progress(self.count)
        return self.count


def check_target(target: object) -> None:
    """Refuse, before anything is written, a target that is neither a path nor a binary file."""
    if isinstance(target, str | os.PathLike):
        if not isinstance(os.fspath(target), str) or not os.fspath(target):
            raise ValidationError("target", "expected a non-empty text path")
        return
    write = getattr(target, "write", None)
    if not callable(write):
        raise ValidationError(
            "target", f"expected a path or a binary file object, got {type(target).__name__}"
        )
    try:
        write(b"")
    except TypeError:
        # A text file: its write() refuses bytes.
        raise ValidationError(
            "target", "a file opened in text mode; open it in binary mode ('wb')"
        ) from None


@contextlib.contextmanager
def open_target(target: Target) -> Iterator[BinarySink]:
    """``target`` ready for bytes: a path is opened (and removed again if writing fails).

    A file object is flushed afterwards, never closed: it is the caller's.
    """
    if not isinstance(target, str | os.PathLike):
        sink = _Borrowed(target)
        yield sink
        sink.flush()
        return
    path = os.fspath(target)
    out = open(path, "wb")  # noqa: SIM115 - closed below, and removed on failure
    try:
        with out:
            yield out
    except BaseException:
        # No half-written export left behind to be mistaken for a whole one.
        with contextlib.suppress(OSError):
            os.remove(path)
        raise


class _Borrowed:
    """The caller's file object, seen as only ``write`` and ``flush`` (which zipfile needs)."""

    def __init__(self, target: BinarySink) -> None:
        self.write = target.write
        self._flush = getattr(target, "flush", None)

    def flush(self) -> None:
        if callable(self._flush):
            self._flush()


def missing_library(name: str, format_name: str) -> ValidationError:
    """The error for an optional library ``name`` that is not installed, naming the fix."""
    return ValidationError(
        "format", f"the {format_name} export needs {name}; install it with {INSTALL_HINT}"
    )
