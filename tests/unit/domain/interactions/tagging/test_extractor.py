"""The default tag extractor on realistic interactions, and its refusals of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from contactlog_core.errors import ValidationError
from contactlog_core.ports import TagExtractor
from contactlog_core.tags import (
    BUILTIN_LANGUAGES,
    Language,
    StatisticalTagExtractor,
    default_extractor,
)

EMAIL = """\
Subject: Kitchen refit quote

Hi John,

Thanks for the quote for the kitchen refit. The kitchen refit should start after the
site visit; the site visit is on Thursday. Invoice 2231 is still open, please
settle it before the kitchen refit starts: https://pay.acme.example/inv/2231

Kind regards,
Anna Smith
Sales Manager | Acme Ltd
anna.smith@acme.example | +44 20 7946 0958
"""

CALL_NOTE = (
    "Call with Mrs Patel: she wants the gas safety certificate renewed before the new "
    "tenancy starts. Her card 4111 1111 1111 1111 was declined; invoice 2231 will be paid "
    "by bank transfer. Gas safety certificates for both flats are due in May."
)


@pytest.fixture
def extractor() -> TagExtractor:
    return default_extractor()


def test_an_email_gives_its_topics_and_none_of_its_furniture(extractor: TagExtractor) -> None:
    tags = extractor.extract(EMAIL)
    assert tags[0].startswith("kitchen refit")
    assert {"site visit", "invoice 2231"} <= set(tags)
    for noise in ("john", "anna smith", "kind regards", "sales manager", "acme", "https"):
        assert not any(noise in tag for tag in tags), (noise, tags)


def test_a_call_note_keeps_the_invoice_number_and_drops_the_card_number(
    extractor: TagExtractor,
) -> None:
    tags = extractor.extract(CALL_NOTE)
    assert "gas safety certificate" in tags
    assert "invoice 2231" in tags
    assert not any("4111" in tag or "1111" in tag for tag in tags)


def test_plural_forms_are_merged_into_one_tag(extractor: TagExtractor) -> None:
    tags = extractor.extract(CALL_NOTE, k=10)
    assert ["gas safety certificate" in t for t in tags].count(True) == 1


def test_the_most_frequent_form_is_shown() -> None:
    tags = default_extractor().extract("Invoices are overdue. Two invoices, one invoice. Invoices!")
    assert tags[0] == "invoices"
    assert "invoice" not in tags


@pytest.mark.parametrize(
    "sms",
    ["ok thanks", "Running late, sorry! Jo", "Hi, can you call me back? Thx", "👍", "See you at 3"],
)
def test_small_talk_gives_no_tags(extractor: TagExtractor, sms: str) -> None:
    assert extractor.extract(sms) == []


def test_a_short_message_gives_its_topic(extractor: TagExtractor) -> None:
    assert extractor.extract("Hi, can you call me about the boiler service? Thx") == [
        "boiler service"
    ]


def test_no_tag_is_only_stop_words_or_weak_words(extractor: TagExtractor) -> None:
    tags = extractor.extract("Call me on Monday. Today or tomorrow is fine. Email me too.")
    assert tags == []


def test_k_caps_the_number_of_tags(extractor: TagExtractor) -> None:
    assert len(extractor.extract(CALL_NOTE, k=2)) == 2
    assert extractor.extract(CALL_NOTE, k=2) == extractor.extract(CALL_NOTE, k=5)[:2]


def test_the_result_is_the_same_for_the_same_text() -> None:
    first = default_extractor().extract(EMAIL)
    again = default_extractor()
    assert again.extract(CALL_NOTE) != first
    assert again.extract(EMAIL) == first


def test_german_text_uses_german_stop_words_and_stems() -> None:
    text = (
        "Hallo Herr Müller,\nanbei die Rechnung 2231 für die Dachreparatur. "
        "Die Dachreparatur ist abgeschlossen.\nMit freundlichen Grüßen\nAnna"
    )
    tags = default_extractor("de").extract(text)
    assert set(tags[:2]) == {"dachreparatur", "rechnung 2231"}
    assert default_extractor().extract(text, language="de") == tags


def test_french_text_uses_french_stop_words_and_elision() -> None:
    text = "Bonjour Marie,\nla facture 2231 de l'entreprise pour la réparation du toit.\nMerci"
    tags = default_extractor("fr").extract(text)
    assert "facture 2231" in tags
    assert "entreprise" in tags
    assert not any("'" in tag for tag in tags)


def test_a_host_can_add_a_language_as_data() -> None:
    spanish = Language("es", stop_words={"la", "de", "el", "para", "hola"}, stemmer="spanish")
    extractor = StatisticalTagExtractor("es", languages={**BUILTIN_LANGUAGES, "es": spanish})
    tags = extractor.extract("Hola, la factura 2231 para la reparación del tejado. Facturas.")
    assert "factura 2231" in tags
    assert extractor.language == "es"


def test_explain_scores_best_first() -> None:
    extraction = StatisticalTagExtractor().explain(EMAIL)
    assert list(extraction.tags) == default_extractor().extract(EMAIL)
    assert list(extraction.scores) == sorted(extraction.scores, reverse=True)
    assert extraction.candidates >= extraction.phrases >= len(extraction.tags)


@pytest.mark.parametrize("k", [0, -1, True, 2.5, "5", None])
def test_k_must_be_a_positive_integer(extractor: TagExtractor, k: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        extractor.extract("boiler service", k=k)
    assert refused.value.field == "k"


@pytest.mark.parametrize("language", ["xx", "EN", "", 5, None])
def test_an_unknown_language_is_refused(language: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        default_extractor(language)
    assert refused.value.field == "language"


@pytest.mark.parametrize("language", ["xx", 5])
def test_an_unknown_language_per_call_is_refused(extractor: TagExtractor, language: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        extractor.extract("boiler service", language=language)
    assert refused.value.field == "language"


@pytest.mark.parametrize("text", [None, b"boiler service", 42, ["boiler"]])
def test_text_must_be_a_string(extractor: TagExtractor, text: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        extractor.extract(text)
    assert refused.value.field == "text"


def test_a_language_needs_a_known_stemmer() -> None:
    with pytest.raises(ValidationError) as refused:
        Language("tlh", stop_words={"a"}, stemmer="klingon")
    assert refused.value.field == "stemmer"
