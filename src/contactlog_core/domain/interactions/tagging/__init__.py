"""Tagging interaction content: cleaning, candidate phrases, ranking and language data."""

from __future__ import annotations

from contactlog_core.domain.interactions.tagging.cleaning import clean_interaction_text
from contactlog_core.domain.interactions.tagging.extractor import (
    Extraction,
    StatisticalTagExtractor,
)
from contactlog_core.domain.interactions.tagging.languages import BUILTIN_LANGUAGES, Language

__all__ = [
    "BUILTIN_LANGUAGES",
    "Extraction",
    "Language",
    "StatisticalTagExtractor",
    "clean_interaction_text",
]
