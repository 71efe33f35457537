"""Matching names as one types: names fold to case- and accent-free words that prefixes match."""

from __future__ import annotations

from contactlog_core.domain.shared.text import fold, name_key, name_words


def test_names_fold_to_words_that_prefixes_match() -> None:
    assert fold("Élodie ÇA Straße") == "elodie ca strasse"
    assert name_words("Bob O'Brien-Lee") == ["bob", "o", "brien", "lee"]
    assert name_key("Bob O'Brien-Lee") == " bob o brien lee"
    assert name_key("") == ""
