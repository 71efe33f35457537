"""Properties of the default tag extractor on any text: bounded, normalised, stable, linear."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contactlog_core.tags import Extraction, StatisticalTagExtractor, default_extractor

EXTRACTOR = StatisticalTagExtractor()

# Mostly words a message could hold, mixed with anything Unicode has to offer.
WORDS = st.sampled_from(
    [
        *("invoice", "invoices", "2231", "roof", "repair", "quote", "boiler", "service"),
        *("the", "of", "and", "hi", "regards", "gas", "safety", "certificate", "kitchen"),
        *("Straße", "façade", "東京", "смета", "😀", "--", ">", "@", ".", ",", "!", "\n"),
    ]
)
MESSY_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=60).map(" ".join),
)


def is_normalised(tag: str) -> bool:
    folded = unicodedata.normalize("NFC", tag.casefold())
    return bool(tag) and tag == folded and tag == " ".join(tag.split())


@given(text=MESSY_TEXT, k=st.integers(min_value=1, max_value=8))
def test_any_text_gives_at_most_k_distinct_normalised_tags(text: str, k: int) -> None:
    tags = EXTRACTOR.extract(text, k=k)
    assert isinstance(tags, list)
    assert len(tags) <= k
    assert len(set(tags)) == len(tags)
    assert all(is_normalised(tag) for tag in tags), tags


@given(text=MESSY_TEXT, language=st.sampled_from(["en", "de", "fr"]))
def test_every_language_copes_with_any_text(text: str, language: str) -> None:
    tags = EXTRACTOR.extract(text, language=language)
    assert len(tags) <= 5
    assert all(is_normalised(tag) for tag in tags)


@given(text=MESSY_TEXT, data=st.data())
def test_extra_whitespace_changes_nothing(text: str, data: st.DataObject) -> None:
    pads = st.text(alphabet=" \t\u00a0\u3000", max_size=3)

    def widen(ch: str) -> str:
        if ch == "\n":
            return "\n" + data.draw(st.sampled_from(["", "\n", " \n"]))
        return ch + data.draw(pads) if ch.isspace() else ch

    widened = data.draw(pads) + "".join(map(widen, text)) + data.draw(pads) + "\n"
    assert EXTRACTOR.extract(widened) == EXTRACTOR.extract(text)


@given(text=MESSY_TEXT)
def test_case_changes_nothing(text: str) -> None:
    # Dotless i is the one letter whose upper case folds to another letter (I -> i).
    dotless_i = "\u0131"
    assume(dotless_i not in text)
    tags = EXTRACTOR.extract(text)
    assert EXTRACTOR.extract(text.upper()) == tags
    assert EXTRACTOR.extract(text.lower()) == tags
    assert EXTRACTOR.extract(text.swapcase()) == tags


@given(text=MESSY_TEXT)
def test_the_same_text_gives_the_same_tags_from_a_fresh_extractor(text: str) -> None:
    assert default_extractor().extract(text) == EXTRACTOR.extract(text)


def work(extraction: Extraction) -> int:
    """Items each step handled: tokens read, candidate words tallied, phrases scored."""
    return extraction.tokens + extraction.candidate_words + extraction.phrases


def vocabulary_text(words: int, seed: int) -> str:
    """``words`` words of made-up prose, with punctuation, numbers and long runs."""
    rng = random.Random(seed)
    vocab = [
        *(f"w{i}x" for i in range(500)),
        *("the", "of", "and", "to", "on", "invoice", "repair", "quote", "2231"),
        *(",", ".", ";", "!", "(", ")"),
    ]
    return " ".join(rng.choice(vocab) for _ in range(words))


@settings(max_examples=20)
@given(
    seed=st.integers(min_value=0, max_value=10_000), base=st.integers(min_value=50, max_value=400)
)
def test_work_grows_at_most_linearly_with_the_text(seed: int, base: int) -> None:
    sizes = [base, 4 * base, 16 * base]
    works = [work(EXTRACTOR.explain(vocabulary_text(n, seed))) for n in sizes]
    for n, w in zip(sizes, works, strict=True):
        assert w <= 4 * n  # each word is read, tallied and scored a bounded number of times
    # Sixteen times the text, at most sixteen times the work (with room for rounding).
    assert works[2] <= 16 * works[0] * 1.25 + 100
    assert works[2] >= 4 * works[0] / 2  # and the counter does count: the work does grow


def test_one_megabyte_of_mixed_text_is_handled() -> None:
    rng = random.Random(7)
    pieces = ["invoice 2231", "roof repair", "Straße", "東京都", "смета", "😀", "\n> quoted", " "]
    text = "".join(rng.choice(pieces) + " " for _ in range(90_000))[: 1 << 20]
    extraction = EXTRACTOR.explain(text)
    assert 0 < len(extraction.tags) <= 5
    assert extraction.tokens <= len(text)


def test_hostile_runs_are_handled() -> None:
    # Long runs that make backtracking patterns quadratic: each must finish quickly.
    for text in ("a" * 200_000, "1 " * 100_000, "@" * 200_000, "a." * 100_000, "on " * 50_000):
        tags = EXTRACTOR.extract(text)
        assert len(tags) <= 5
