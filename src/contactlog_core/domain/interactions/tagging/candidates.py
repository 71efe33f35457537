"""Candidate phrases: maximal runs of content words between stop words and punctuation.

Without a part-of-speech tagger, a run of words that are neither stop words
nor punctuation is the best cheap stand-in for a noun phrase ("electronic
storage of legal files" gives "electronic storage" and "legal files"). One
left-to-right pass over the tokens, with what is known about each distinct
token remembered, so the work is linear in the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import snowballstemmer

from contactlog_core.domain.interactions.tagging.languages import Language

__all__ = ["MAX_PHRASE_WORDS", "Lexicon", "Word", "candidate_phrases", "tokenize"]

MAX_PHRASE_WORDS = 4
_MAX_TOKEN_CHARS = 30  # longer "words" are hashes, ids or base64, not topics
_MAX_TOKEN_DIGITS = 6  # more digits: an account or phone number the cleaner missed
_MEMO_LIMIT = 100_000  # distinct tokens remembered per language before starting afresh

# A word (letters or digits, joined by inner hyphens or apostrophes), or a run
# of anything else that is not space: punctuation, which ends a phrase.
_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[^\w\s]+|_+")
_LETTER = re.compile(r"[^\W\d_]")
_JOINERS = str.maketrans("", "", "-'")


class Word(NamedTuple):
    """A content word: as written, its stem (the merge key), and what it can carry."""

    text: str
    stem: str
    topical: bool  # neither a weak word nor a bare number
    lettered: bool


def tokenize(text: str) -> list[str]:
    """Words and punctuation runs of ``text``, in order (``text`` is already casefolded)."""
    return _TOKEN.findall(text)


class Lexicon:
    """What one language makes of each token, remembered: a ``Word`` or ``None``.

    ``None`` means the token ends a phrase: a stop word, punctuation, a single
    character, or something too long or too numeric to be a topic.
    """

    def __init__(self, language: Language) -> None:
        self.language = language
        self._memo: dict[str, Word | None] = {}

    def word(self, token: str) -> Word | None:
        """The content word ``token`` stands for, or ``None`` when it ends a phrase."""
        try:
            return self._memo[token]
        except KeyError:
            pass
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo = {}
        word = self._memo[token] = self._analyse(token)
        return word

    def _analyse(self, token: str) -> Word | None:
        language = self.language
        if "'" in token:
            # French elision and the like: "l'entreprise" is "entreprise" after a stop word.
            head, _, rest = token.partition("'")
            if head + "'" in language.stop_words:
                token = rest
        if token in language.stop_words or not 2 <= len(token) <= _MAX_TOKEN_CHARS:
            return None
        if not token[0].isalnum():
            return None
        digits = sum(ch.isdigit() for ch in token)
        if digits > _MAX_TOKEN_DIGITS:
            return None
        # A fresh stemmer per new token: Snowball stemmers keep state while they
        # work, and this keeps a shared extractor safe across threads.
        stem = snowballstemmer.stemmer(language.stemmer).stemWord(token.translate(_JOINERS))
        topical = token not in language.weak_words and digits < len(token)
        return Word(token, str(stem), topical, bool(_LETTER.search(token)))


def _phrase(run: list[Word], language: Language, max_words: int) -> list[Word] | None:
    """The candidate a run of content words gives, or ``None`` when it makes no tag."""
    endings = language.verb_endings
    while endings and run and run[-1].text.endswith(endings):
        run = run[:-1]  # "certificate renewed", or a lone "booked": the verb goes
    # A long run is usually modifiers piled on a head noun: keep the head's side.
    if len(run) > max_words:
        run = run[-max_words:] if language.head_final else run[:max_words]
    # A tag needs a letter and a word that is neither weak nor a bare number.
    if run and any(w.topical for w in run) and any(w.lettered for w in run):
        return run
    return None


def candidate_phrases(
    tokens: list[str], lexicon: Lexicon, max_words: int = MAX_PHRASE_WORDS
) -> list[list[Word]]:
    """The candidate phrases in ``tokens``, in order of appearance, each 1 to ``max_words`` words."""
    language = lexicon.language
    phrases: list[list[Word]] = []
    run: list[Word] = []
    for token in [*tokens, "."]:  # a final full stop flushes the last run
        word = lexicon.word(token)
        if word is not None:
            run.append(word)
        elif run:
            phrase = _phrase(run, language, max_words)
            if phrase is not None:
                phrases.append(phrase)
            run = []
    return phrases
