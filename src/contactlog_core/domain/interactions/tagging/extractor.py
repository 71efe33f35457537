"""The default tag extractor: statistical, unsupervised, deterministic, pure Python.

How a tag is chosen, in one pass plus a small ranking:

1. Clean the text (``.cleaning``), casefold it, cut it into candidate
   phrases (``.candidates``).
2. Merge near-duplicates: a phrase's key is the Snowball stem of each word, so
   "invoices" and "invoice", "e-mail" and "email" count as one phrase. The tag
   shown is the phrase's most frequent written form.
3. Score each word as in RAKE: its degree (the summed lengths of the phrases
   it occurs in) over its frequency, so words that keep company in phrases
   weigh more than loners. A phrase scores the sum of its words' scores, times
   how often it occurs, times a position prior (phrases first seen early
   matter more: subject lines and first sentences state the topic), times a
   length weight that damps single words and four-word runs.
4. Return the ``k`` best, ties broken by first appearance, skipping a phrase
   that contains or sits inside one already chosen ("kitchen refit quote"
   after "kitchen refit"), so the tags say different things.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Mapping

import attrs

from contactlog_core.domain.interactions.tagging.candidates import (
    MAX_PHRASE_WORDS,
    Lexicon,
    Word,
    candidate_phrases,
    tokenize,
)
from contactlog_core.domain.interactions.tagging.cleaning import clean_interaction_text
from contactlog_core.domain.interactions.tagging.languages import (
    BUILTIN_LANGUAGES,
    Language,
    resolve_language,
)
from contactlog_core.errors import ValidationError

__all__ = ["Extraction", "StatisticalTagExtractor"]

_POSITION_DECAY = 10.0  # a phrase first seen at the very end weighs 1/11 of one at the start
_LENGTH_WEIGHT = {1: 0.7, 2: 1.0, 3: 1.0, 4: 0.8}
# Typographic apostrophes and hyphens become the ASCII ones the word lists use.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})

Key = tuple[str, ...]


@attrs.frozen
class Extraction:
    """The tags of one text with their scores, and how much work finding them took.

    ``tokens`` words and punctuation runs were read, ``candidate_words`` words
    sat in ``candidates`` candidate phrases, and ``phrases`` distinct phrases
    were scored; each step touches each item a bounded number of times.
    """

    tags: tuple[str, ...]
    scores: tuple[float, ...]
    tokens: int
    candidates: int
    candidate_words: int
    phrases: int


@attrs.define
class _Tally:
    """Counts over the candidate phrases of one text, keyed by stems."""

    phrase_count: dict[Key, int] = attrs.Factory(dict)
    phrase_first: dict[Key, int] = attrs.Factory(dict)
    surfaces: dict[Key, dict[str, int]] = attrs.Factory(dict)
    word_count: dict[str, int] = attrs.Factory(dict)
    word_degree: dict[str, int] = attrs.Factory(dict)

    def add(self, index: int, key: Key, surface: str) -> None:
        forms = self.surfaces.get(key)
        if forms is None:
            forms = self.surfaces[key] = {}
            self.phrase_first[key] = index
        forms[surface] = forms.get(surface, 0) + 1
        self.phrase_count[key] = self.phrase_count.get(key, 0) + 1
        for stem in key:
            self.word_count[stem] = self.word_count.get(stem, 0) + 1
            self.word_degree[stem] = self.word_degree.get(stem, 0) + len(key)

    def score(self, key: Key, total: int) -> float:
        words = sum(self.word_degree[s] / self.word_count[s] for s in key)
        position = 1.0 / (1.0 + _POSITION_DECAY * self.phrase_first[key] / total)
        return words * self.phrase_count[key] * position * _LENGTH_WEIGHT.get(len(key), 0.8)

    def surface(self, key: Key) -> str:
        forms = self.surfaces[key]
        return max(forms, key=forms.__getitem__)  # the first seen wins a tie


def _tally(phrases: list[list[Word]]) -> _Tally:
    tally = _Tally()
    for index, words in enumerate(phrases):
        tally.add(index, tuple(w.stem for w in words), " ".join(w.text for w in words))
    return tally


def _overlaps(a: Key, b: Key) -> bool:
    """Whether one phrase is the other or sits inside it, word for word."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _select(scores: dict[Key, float], first: dict[Key, int], k: int) -> list[Key]:
    """The ``k`` best phrases that do not overlap a better one."""

    def rank(key: Key) -> tuple[float, int]:
        return (-scores[key], first[key])

    # Overlaps are few, so a short list of the best nearly always suffices; the
    # full sort is the rare fallback.
    pool = heapq.nsmallest(4 * k, scores, key=rank)
    if len(pool) < len(scores):
        chosen = _pick(pool, k)
        if len(chosen) == k:
            return chosen
        pool = sorted(scores, key=rank)
    return _pick(pool, k)


def _pick(ranked: list[Key], k: int) -> list[Key]:
    chosen: list[Key] = []
    for key in ranked:
        if not any(_overlaps(key, other) for other in chosen):
            chosen.append(key)
            if len(chosen) == k:
                break
    return chosen


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValidationError("k", f"expected a positive integer, got {k!r:.40}")
    return k


class StatisticalTagExtractor:
    """Extracts up to ``k`` tags from interaction content; see the module docstring.

    ``language`` is the default for ``extract``; ``languages`` maps codes to
    ``Language`` data, so a host adds a language without changing code.

    >>> StatisticalTagExtractor().extract("Invoice 2231: the roof repair invoice is overdue.")
    ['invoice 2231', 'roof repair invoice', 'overdue']
    """

    def __init__(
        self,
        language: str = "en",
        *,
        languages: Mapping[str, Language] = BUILTIN_LANGUAGES,
        max_words: int = MAX_PHRASE_WORDS,
    ) -> None:
        self._languages = dict(languages)
        self._language = resolve_language(language, self._languages)
        self._max_words = _check_k(max_words)
        self._lexicons: dict[str, Lexicon] = {}

    def _lexicon(self, language: Language) -> Lexicon:
        lexicon = self._lexicons.get(language.code)
        if lexicon is None:
            lexicon = self._lexicons[language.code] = Lexicon(language)
        return lexicon

    @property
    def language(self) -> str:
        """The code of the language used when ``extract`` is given none."""
        return self._language.code

    def extract(self, text: str, *, k: int = 5, language: str | None = None) -> list[str]:
        """Up to ``k`` distinct tags, best first: lowercased phrases of one to four words."""
        return list(self.explain(text, k=k, language=language).tags)

    def explain(self, text: str, *, k: int = 5, language: str | None = None) -> Extraction:
        """The tags of ``extract`` with their scores and the work done to find them."""
        if not isinstance(text, str):
            raise ValidationError("text", f"expected text, got {type(text).__name__}")
        k = _check_k(k)
        lang = self._language if language is None else resolve_language(language, self._languages)
        folded = unicodedata.normalize("NFC", text.casefold()).translate(_TYPOGRAPHY)
        tokens = tokenize(clean_interaction_text(folded))
        phrases = candidate_phrases(tokens, self._lexicon(lang), self._max_words)
        tally = _tally(phrases)
        total = len(phrases)
        scores = {key: tally.score(key, total) for key in tally.phrase_count}
        best = _select(scores, tally.phrase_first, k)
        return Extraction(
            tags=tuple(tally.surface(key) for key in best),
            scores=tuple(scores[key] for key in best),
            tokens=len(tokens),
            candidates=total,
            candidate_words=sum(map(len, phrases)),
            phrases=len(scores),
        )
