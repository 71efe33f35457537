"""The one cattrs converter: every entity, event and policy to JSON-ready data and back.

Shaped like cattrs' preconf modules: ``configure_converter`` adds our hooks
to any converter, ``make_converter`` builds a fresh one, and the module's
``converter`` is the one the library itself uses.

>>> import pendulum
>>> unstructure(pendulum.datetime(2026, 11, 2, 9, tz="Europe/London"))
'2026-11-02T09:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.preconf.json import make_converter as make_json_converter
from cattrs.v import format_exception
from pendulum import DateTime

from contactlog_core.errors import ContactLogError, ValidationError
from contactlog_core.instants import require_aware

__all__ = [
    "configure_converter",
    "converter",
    "instant_text",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")


def _structure_instant(value: object, _: type) -> DateTime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError as e:
            raise ValidationError("instant", f"{value!r} is not an ISO 8601 instant") from e
    return require_aware(value, "instant")


def instant_text(value: dt.datetime) -> str:
    """An aware instant as the converter writes it: ISO 8601 in UTC, ``+00:00``."""
    return _unstructure_instant(value)


def _unstructure_instant(value: dt.datetime) -> str:
    # On every audit snapshot: check awareness, then let the standard library write it.
    offset = value.utcoffset()
    if offset is None:
        require_aware(value, "instant")
    if not offset:
        # Already at UTC's offset (every stored instant is): the text is the same, sooner.
        return dt.datetime.isoformat(value)
    return dt.datetime.astimezone(value, dt.UTC).isoformat()


def configure_converter(conv: cattrs.Converter) -> None:
    """Teach ``conv`` our instants: ISO 8601 with an offset, naive ones refused."""
    for cls in (DateTime, dt.datetime):
        conv.register_structure_hook(cls, _structure_instant)
        conv.register_unstructure_hook(cls, _unstructure_instant)
    # Enums (string enums included) come out as their plain values, keys of mappings too,
    # so that a snapshot compares the same before and after a trip through JSON.
    # StrEnum is named as well: its members are also str, which has a pass-through hook.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(base, _enum_value)


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def make_converter() -> cattrs.Converter:
    """A new converter: JSON-ready output, unknown keys refused, our hooks added."""
    conv = make_json_converter(forbid_extra_keys=True)
    configure_converter(conv)
    return conv


converter = make_converter()


def unstructure(value: object) -> Any:
    """``value`` as plain dicts, lists, strings and numbers, ready for ``json.dumps``."""
    return converter.unstructure(value)


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from plain data, or raise ``ValidationError`` saying what is wrong."""
    if attrs.has(cls) and not isinstance(data, Mapping):
        raise ValidationError(_name(cls), f"expected a mapping, got {type(data).__name__}")
    try:
        return converter.structure(data, cls)
    except ValidationError:
        raise
    except cattrs.BaseValidationError as e:
        reasons = "; ".join(cattrs.transform_error(e, format_exception=_describe))
        raise ValidationError(_name(cls), reasons) from e
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise ValidationError(_name(cls), f"{type(e).__name__}: {e}") from e


def _describe(exc: BaseException, type_: type | None) -> str:
    # Our own errors already say what is wrong; cattrs' default would hide it.
    if isinstance(exc, ContactLogError):
        return str(exc)
    return format_exception(exc, type_)


def _name(cls: object) -> str:
    return getattr(cls, "__name__", repr(cls))
