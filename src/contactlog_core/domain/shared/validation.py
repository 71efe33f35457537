"""Checks for values arriving from callers: the right type, a sane size, or a ValidationError."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from contactlog_core.errors import ValidationError

__all__ = ["choice", "identifier", "text"]

E = TypeVar("E", bound=Enum)

MAX_ID_LENGTH = 128


def text(value: object, field: str, *, max_length: int, required: bool = True) -> str:
    """A string with surrounding whitespace removed; empty only when not ``required``."""
    if not isinstance(value, str):
        raise ValidationError(field, f"expected text, got {type(value).__name__}")
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError(field, "must not be empty")
    if len(cleaned) > max_length:
        raise ValidationError(field, f"at most {max_length} characters, got {len(cleaned)}")
    if "\x00" in cleaned:
        raise ValidationError(field, "must not contain NUL characters")
    if not cleaned.isascii():
        try:
            cleaned.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate: not text any store could keep.
            raise ValidationError(field, "must be valid Unicode (no lone surrogates)") from None
    return cleaned


def identifier(value: object, field: str) -> str:
    """An id as the caller gave it: a non-empty string of printable characters."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise ValidationError(
            field, f"expected an id (1 to {MAX_ID_LENGTH} characters), got {value!r:.60}"
        )
    if not value.isprintable():
        raise ValidationError(field, "an id must contain printable characters only")
    return value


def choice(value: object, enum_cls: type[E], field: str) -> E:
    """A member of ``enum_cls``, given as a member or as its value."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise ValidationError(field, f"{value!r:.60} is not one of: {allowed}") from None
