"""Searching interactions as one types: any text is a safe query; prefixes match; order is stable."""

from __future__ import annotations

import doctest
import unicodedata
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core import OrgId, StaffId
from contactlog_core.domain.interactions import query_rules, search
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Interaction,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.interactions.queries import (
    InteractionQuery,
    InteractionSort,
    parse_interaction_sort,
)
from contactlog_core.domain.interactions.query_rules import interaction_page, sort_interactions
from contactlog_core.domain.interactions.search import (
    MAX_QUERY_WORDS,
    MAX_WORD_LENGTH,
    SearchQuery,
    matches,
    parse_search,
    searchable_words,
    text_words,
)
from contactlog_core.domain.shared.paging import SortField
from contactlog_core.errors import ValidationError
from tests.support.seeds import NOW, ORG

JANE = ClientRef("client-17", "Jane Doe")
LATE_NOVEMBER = pendulum.datetime(2026, 11, 23, 23, 30, tz="UTC")


def make(
    id: str = "int-8f3a",
    description: str = "Email from Jane Doe: Invoice 2231 overdue",
    tags: tuple[str, ...] = ("invoice 2231", "überfällig"),
    occurred_at: pendulum.DateTime = LATE_NOVEMBER,
    **fields: Any,
) -> Interaction:
    values: dict[str, Any] = {
        "org_id": ORG,
        "client": JANE,
        "kind": InteractionKind.EMAIL,
        "direction": "inbound",
        "counterpart": Counterpart("Jane Doe", "jane@doe.example"),
        "subject": "Invoice 2231 overdue",
        "body": "Pay by Friday, please: the secret word is marmalade.",
        "source": "imap",
        "source_ref": f"<{id}@mail.example>",
        "links": InteractionLinks(),
        "captured_by": StaffId("alice"),
        "captured_at": NOW,
        "updated_at": NOW,
        **fields,
    }
    return Interaction(
        id=InteractionId(id),
        description=description,
        tags=tags,
        occurred_at=occurred_at,
        **values,
    )


def found(text: str, interaction: Interaction | None = None, timezone: str = "UTC") -> bool:
    return matches(make() if interaction is None else interaction, parse_search(text), timezone)


# --- parsing ---------------------------------------------------------------------------


def test_words_are_folded_case_and_accents() -> None:
    assert parse_search("  Élodie  ÜBERFÄLLIG Straße ").words == ("elodie", "uberfallig", "strasse")


def test_iso_dates_and_their_parts_stay_one_word() -> None:
    assert parse_search("meeting 2026-11-23").words == ("meeting", "2026-11-23")
    assert parse_search("2026-11").words == ("2026-11",)
    assert parse_search("2026-1").words == ("2026-1",)  # being typed
    assert parse_search("2026-11-23T09:00").words == ("2026-11-23", "t09", "00")
    assert parse_search("covid-19 e-mail").words == ("covid", "19", "e", "mail")
    assert parse_search("12026-11-23").words == ("12026", "11", "23")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"invoice"', ("invoice",)),
        ("inv*", ("inv",)),
        ("^invoice", ("invoice",)),
        ("-invoice", ("invoice",)),
        ("invoice -paid", ("invoice", "paid")),
        ("NEAR(invoice paid)", ("near", "invoice", "paid")),
        ("invoice OR paid", ("invoice", "or", "paid")),
        ("invoice AND NOT paid", ("invoice", "and", "not", "paid")),
        ("subject:foo", ("subject", "foo")),
        ("((invoice", ("invoice",)),
        ("{description}: x", ("description", "x")),
        ("invoice 😀🎉 paid", ("invoice", "paid")),
        ("a_b", ("a", "b")),
        ("'; DROP TABLE interactions; --", ("drop", "table", "interactions")),
        ("invoice invoice INVOICE", ("invoice",)),
    ],
)
def test_query_syntax_becomes_plain_words(text: str, words: tuple[str, ...]) -> None:
    assert parse_search(text).words == words


@pytest.mark.parametrize("text", ["", "   ", '"', "*", "-", "--", "((", "😀🎉", "_*^:"])
def test_a_query_without_a_word_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as e:
        parse_search(text)
    assert e.value.field == "query"


@pytest.mark.parametrize("text", [None, 42, b"invoice", ["invoice"], "x" * 100_001])
def test_a_query_that_is_not_reasonable_text_is_refused(text: object) -> None:
    with pytest.raises(ValidationError) as e:
        parse_search(text)
    assert e.value.field == "query"


def test_at_most_twenty_words_of_at_most_a_hundred_characters() -> None:
    query = parse_search(" ".join(f"w{i}" for i in range(50)) + " " + "x" * 500)
    assert query.words == tuple(f"w{i}" for i in range(20))
    assert parse_search("y" * 500).words == ("y" * 100,)


HOSTILE_10_KB = [
    '"' * 10_000 + " invoice",
    "*" * 10_000 + " invoice",
    "NEAR(" * 2_000 + " invoice",
    "😀" * 10_000 + " invoice",
    "e\u0301" * 5_000,
    "a " * 5_000,
    "é " * 5_000,
    "2026-11-" * 1_250,
    ("x" * 99 + " ") * 100,
    "-" * 10_000 + "a",
]


@pytest.mark.parametrize("text", HOSTILE_10_KB, ids=lambda t: repr(t[:12]))
def test_ten_kilobytes_of_hostile_text_parse_to_a_bounded_query(text: str) -> None:
    # How fast is for a benchmark to say; here: a few short words, whatever came in.
    query = parse_search(text)
    assert 1 <= len(query.words) <= MAX_QUERY_WORDS
    assert all(1 <= len(word) <= MAX_WORD_LENGTH for word in query.words)
    assert all(is_word(word) for word in query.words)


def is_word(word: str) -> bool:
    """What a store may rely on: letters, digits and marks, or an ISO-shaped date."""
    if all(unicodedata.category(c)[0] in "LNM" for c in word):
        return True
    year, *rest = word.split("-")
    return len(year) == 4 and 1 <= len(rest) <= 2 and all(p.isascii() for p in (year, *rest))


@given(text=st.text(max_size=400))
def test_any_text_gives_safe_words_or_a_validation_error(text: str) -> None:
    try:
        query = parse_search(text)
    except ValidationError:
        return
    assert 1 <= len(query.words) <= 20
    assert len(set(query.words)) == len(query.words)
    assert all(0 < len(w) <= 100 and is_word(w) for w in query.words), query.words
    assert parse_search(" ".join(query.words)) == query


# --- what an interaction is found by --------------------------------------------------------


def test_searchable_words_are_description_tags_id_and_local_dates() -> None:
    assert searchable_words(make(), "UTC") == (
        *("email", "from", "jane", "doe", "invoice", "2231", "overdue", "uberfallig"),
        *("int", "8f3a", "2026-11-23", "2026-11", "2026"),
    )


def test_the_date_is_the_organisations_calendar_date() -> None:
    late = make()  # 23:30 UTC on 23 November: already the 24th in Tokyo
    assert found("2026-11-23", late, "UTC")
    assert not found("2026-11-24", late, "UTC")
    assert found("2026-11-24", late, "Asia/Tokyo")
    assert not found("2026-11-23", late, "Asia/Tokyo")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        searchable_words(make(), "Mars/Olympus")
    assert e.value.field == "timezone"


@pytest.mark.parametrize(
    "text",
    [
        "invoice",
        "INVOICE 2231",
        "inv 22",  # every word is a prefix, not only the last
        "jane inv",
        "überfällig",
        "uberf",
        "int-8f3a",  # the id, typed as it is written
        "8f3",
        "2026",
        "2026-11",
        "2026-1",  # October to December, being typed
        "2026-11-2",
        "2026-11-23",
    ],
)
def test_an_interaction_is_found_by_prefixes_of_its_words(text: str) -> None:
    assert found(text)


@pytest.mark.parametrize(
    "text",
    [
        "invoice paid",  # every word must match
        "voice",  # a prefix, not a substring
        "marmalade",  # the body is not searched
        "jane@doe.example",  # nor the counterpart's address
        "imap",  # nor the source
        "2026-12",
        "2025",
    ],
)
def test_an_interaction_is_not_found_by_what_it_lacks(text: str) -> None:
    assert not found(text)


def test_a_redacted_interaction_is_found_by_id_and_date_only() -> None:
    tombstone = make(
        description="", tags=(), redaction=Redaction(StaffId("hana"), NOW), subject="", body=""
    )
    assert searchable_words(tombstone, "UTC") == ("int", "8f3a", "2026-11-23", "2026-11", "2026")
    leftover = attrs.evolve(tombstone, description="Invoice 2231", tags=("invoice",))
    assert not found("invoice", leftover)  # even were a store to leave its words behind
    assert found("int-8f3a 2026-11", leftover)


def test_last_is_prefix_does_not_change_matching() -> None:
    words = parse_search("inv 22").words
    assert matches(make(), SearchQuery(words, last_is_prefix=False), "UTC")


WORDY = st.text(st.characters(codec="utf-8"), max_size=40)


@given(
    description=WORDY,
    tags=st.lists(WORDY, max_size=5),
    id=st.text(st.characters(codec="utf-8"), min_size=1, max_size=20),
    occurred_at=st.datetimes(
        min_value=pendulum.datetime(2000, 1, 1).naive(),
        max_value=pendulum.datetime(2100, 1, 1).naive(),
        timezones=st.just(pendulum.UTC),
    ),
    data=st.data(),
)
def test_an_interaction_is_found_by_any_prefixes_of_any_of_its_words(
    description: str, tags: list[str], id: str, occurred_at: Any, data: st.DataObject
) -> None:
    when = pendulum.instance(occurred_at)
    interaction = make(id=id, description=description, tags=tuple(tags), occurred_at=when)
    words = searchable_words(interaction, "Europe/Paris")
    assert all(is_word(w) for w in words)
    chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=4))
    prefixes = [w[: data.draw(st.integers(min_value=1, max_value=len(w)))] for w in chosen]
    query_text = " ".join(prefixes)
    try:
        query = parse_search(query_text)
    except ValidationError:
        # A prefix may be all marks of a script's vowel; on its own it is still a word.
        raise AssertionError(query_text) from None
    assert matches(interaction, query, "Europe/Paris")


def test_text_words_cut_like_queries() -> None:
    assert text_words("Meeting on 2026-11-23 re: Q3_budget (draft)") == (
        *("meeting", "on", "2026-11-23", "re", "q3", "budget", "draft"),
    )


# --- order ---------------------------------------------------------------------------------


def ids(interactions: list[Interaction]) -> list[str]:
    return [i.id for i in interactions]


def test_the_default_order_is_newest_first_then_id_descending() -> None:
    rows = [
        make("a", occurred_at=NOW.subtract(days=2)),
        make("b", occurred_at=NOW),
        make("c", occurred_at=NOW),
        make("d", occurred_at=NOW.subtract(days=1)),
    ]
    assert ids(sort_interactions(rows, parse_interaction_sort(None))) == ["c", "b", "d", "a"]


def test_an_empty_description_or_party_sorts_last_either_way() -> None:
    rows = [
        make("a", description="Zebra"),
        make("b", description="", counterpart=Counterpart()),
        make("c", description="apple", counterpart=Counterpart(address="+44 7700 900123")),
        make("d", description="Émile", counterpart=Counterpart("Émile Zola")),
    ]
    by = parse_interaction_sort
    assert ids(sort_interactions(rows, by("description"))) == ["c", "d", "a", "b"]
    assert ids(sort_interactions(rows, by("-description"))) == ["a", "d", "c", "b"]
    assert ids(sort_interactions(rows, by("counterpart"))) == ["c", "d", "a", "b"]
    assert ids(sort_interactions(rows, by("-counterpart"))) == ["a", "d", "c", "b"]


def test_kind_then_time_sorts_by_both() -> None:
    rows = [
        make("a", kind=InteractionKind.SMS, occurred_at=NOW),
        make("b", kind=InteractionKind.CALL, occurred_at=NOW.subtract(days=1)),
        make("c", kind=InteractionKind.CALL, occurred_at=NOW),
    ]
    sort = parse_interaction_sort(["kind", "-occurred_at"])
    assert ids(sort_interactions(rows, sort)) == ["c", "b", "a"]


@pytest.mark.parametrize("bad", ["subject", ["-body"], [], ["kind", "kind"], 7])
def test_only_known_columns_sort(bad: object) -> None:
    with pytest.raises(ValidationError) as e:
        parse_interaction_sort(bad)
    assert e.value.field == "sort"


ROWS = st.lists(
    st.builds(
        make,
        id=st.text("abc", min_size=1, max_size=3),
        description=st.sampled_from(["", "apple", "Apple", "Émile", "zebra"]),
        occurred_at=st.sampled_from([NOW, NOW.add(hours=1), NOW.subtract(days=3)]),
        kind=st.sampled_from(InteractionKind),
        counterpart=st.sampled_from([Counterpart(), Counterpart("Jo"), Counterpart("", "+44")]),
        captured_at=st.sampled_from([NOW, NOW.add(minutes=5)]),
    ),
    max_size=8,
    unique_by=lambda i: i.id,
)


@given(rows=ROWS, key=st.sampled_from(InteractionSort), descending=st.booleans())
def test_one_column_orders_as_a_plain_sort_with_missing_values_last(
    rows: list[Interaction], key: InteractionSort, descending: bool
) -> None:
    value = query_rules.SORT_KEYS[key]
    present = [i for i in rows if value(i) is not None]
    missing = [i for i in rows if value(i) is None]
    expected = sorted(present, key=lambda i: (value(i), i.id), reverse=descending) + sorted(
        missing, key=lambda i: i.id, reverse=descending
    )
    assert sort_interactions(rows, (SortField(key, descending),)) == expected


# --- the reference page -------------------------------------------------------------------


def test_a_page_holds_one_organisations_matching_interactions_in_order() -> None:
    rows = [
        make("a", occurred_at=NOW.subtract(days=1)),
        make("b", occurred_at=NOW),
        make("c", description="Call with Sam", tags=(), kind=InteractionKind.CALL),
        make("d", org_id=OrgId("elsewhere")),
        make("e", client=ClientRef("client-42", "Acme")),
    ]
    everything = interaction_page(InteractionQuery(org_id=ORG, per_page=2), rows)
    assert (ids(list(everything.items)), everything.total) == (["e", "c"], 4)
    invoices = InteractionQuery(
        org_id=ORG, search=parse_search("invoice"), client_id="client-17", page=1
    )
    assert ids(list(interaction_page(invoices, rows).items)) == ["b", "a"]
    calls = InteractionQuery(org_id=ORG, kinds=frozenset({InteractionKind.CALL}))
    assert ids(list(interaction_page(calls, rows).items)) == ["c"]


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(search, raise_on_error=True).failed == 0
