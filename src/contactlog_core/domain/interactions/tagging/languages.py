"""Languages the extractor knows: a stop-word list, a list of weak words and a stemmer each.

A language is data, so a host application adds one (Spanish, Dutch, ...) by
building a ``Language`` and handing it to the extractor; no code changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs
import snowballstemmer

from contactlog_core.domain.interactions.tagging.stopwords import de, en, fr
from contactlog_core.errors import ValidationError

__all__ = ["BUILTIN_LANGUAGES", "Language", "resolve_language"]

_STEMMERS = frozenset(snowballstemmer.algorithms())


def _casefolded(words: Iterable[str]) -> frozenset[str]:
    # Tokens are casefolded before lookup, so the lists must be too ("ß" -> "ss").
    return frozenset(word.casefold().replace("\u2019", "'") for word in words)


def _known_stemmer(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _STEMMERS:
        raise ValidationError(attribute.name, f"{value!r} is not a Snowball stemmer")


@attrs.frozen
class Language:
    """What the extractor needs to know about one language.

    ``stop_words`` end a phrase and never appear in a tag; ``weak_words`` may sit
    inside a tag ("monday meeting") but never make one alone; ``stemmer`` names a
    Snowball algorithm (``snowballstemmer.algorithms()``) used to merge plural
    and other inflected forms; ``head_final`` says whether a long noun phrase
    keeps its last words (English, German) or its first ones (French);
    ``verb_endings`` mark a word that ends a run as a verb, not part of the
    phrase ("certificate renewed" gives "certificate"; "booked" alone, nothing).

    >>> spanish = Language("es", stop_words={"de", "la", "el"}, stemmer="spanish")
    """

    code: str
    stop_words: frozenset[str] = attrs.field(converter=_casefolded)
    stemmer: str = attrs.field(validator=_known_stemmer)
    weak_words: frozenset[str] = attrs.field(default=frozenset(), converter=_casefolded)
    head_final: bool = True
    verb_endings: tuple[str, ...] = ()


BUILTIN_LANGUAGES: Mapping[str, Language] = MappingProxyType(
    {
        "en": Language("en", en.STOP_WORDS, "english", en.WEAK_WORDS, verb_endings=("ed",)),
        "de": Language("de", de.STOP_WORDS, "german", de.WEAK_WORDS),
        "fr": Language("fr", fr.STOP_WORDS, "french", fr.WEAK_WORDS, head_final=False),
    }
)


def resolve_language(code: object, languages: Mapping[str, Language]) -> Language:
    """The language registered under ``code``, or ``ValidationError`` naming the known ones."""
    if not isinstance(code, str):
        raise ValidationError("language", f"expected a language code, got {type(code).__name__}")
    try:
        return languages[code]
    except KeyError:
        known = ", ".join(sorted(languages))
        raise ValidationError(
            "language", f"unknown language {code!r:.40}; known: {known}"
        ) from None
