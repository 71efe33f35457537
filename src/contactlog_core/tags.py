"""Tags for interactions: the default extractor and the cleaning it applies.

>>> from contactlog_core.tags import default_extractor
>>> default_extractor().extract("Hi Sam, the boiler service is booked. Kind regards, Jo")
['boiler service']

Any object with an ``extract(text, *, k=5, language="en") -> list[str]`` method
satisfies ``contactlog_core.ports.TagExtractor``, so a host application can
hand in its own model instead; see ``docs/tags.md``.
"""

from __future__ import annotations

from contactlog_core.domain.interactions.tagging import (
    BUILTIN_LANGUAGES,
    Extraction,
    Language,
    StatisticalTagExtractor,
    clean_interaction_text,
)
from contactlog_core.ports import TagExtractor

__all__ = [
    "BUILTIN_LANGUAGES",
    "Extraction",
    "Language",
    "StatisticalTagExtractor",
    "clean_interaction_text",
    "default_extractor",
]


def default_extractor(language: str = "en") -> TagExtractor:
    """The built-in statistical extractor, with ``language`` ("en", "de" or "fr") as its default.

    Raises ``ValidationError`` for a language it does not know.
    """
    return StatisticalTagExtractor(language)
