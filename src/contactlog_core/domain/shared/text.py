"""Matching names as one types: case- and accent-insensitive word prefixes.

``"Élodie"`` and ``"ELODIE"`` fold alike, and a search term matches a name
when it starts one of the name's words. Every store matches with these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from contactlog_core.domain.shared import validation as check
from contactlog_core.errors import ValidationError

__all__ = [
    "MAX_SEARCH_TERMS",
    "fold",
    "name_key",
    "name_matches",
    "name_words",
    "search_terms",
    "sortable_name",
]

MAX_SEARCH_TERMS = 5
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``"Élodie"`` and ``"ELODIE"`` both fold to ``"elodie"``."""
    if text.isascii():
        # Nothing to decompose, and ASCII casefolds as it lowercases: the common case, fast.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_words(name: str) -> list[str]:
    """The folded words of a name, each of which a search prefix may match."""
    return _WORD.findall(fold(name))


def name_key(name: str) -> str:
    """A name as stored for matching and sorting: its folded words, each after a space.

    ``" " + term`` found in it means ``term`` starts one of the words.
    """
    return "".join(" " + word for word in name_words(name))


def sortable_name(name: str | None) -> str | None:
    """``name_key`` of a name that may be missing: a list sorts by it, the missing last."""
    return None if name is None else name_key(name)


def name_matches(name: str, terms: Sequence[str]) -> bool:
    """True when each of ``terms`` (from ``search_terms``) starts a word of ``name``."""
    key = name_key(name)
    return all(" " + term in key for term in terms)


def search_terms(text: object, field: str) -> tuple[str, ...]:
    """The folded words of an as-you-type search; empty text means no filter."""
    if text is None:
        return ()
    words = name_words(check.text(text, field, max_length=200, required=False))
    if len(words) > MAX_SEARCH_TERMS:
        raise ValidationError(field, f"at most {MAX_SEARCH_TERMS} words")
    return tuple(words)
