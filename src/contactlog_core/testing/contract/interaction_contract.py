"""The interactions contract: capture, naming, search, corrections and redaction, on every store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import contactlog_core as cl
from contactlog_core.domain.interactions.queries import MAX_COUNT, InteractionQuery
from contactlog_core.domain.interactions.search import parse_search
from contactlog_core.ports import Store, UnitOfWork
from contactlog_core.testing.contract.app_contract import START, Seeds, race

__all__ = ["InteractionContract", "email"]

SECRET = "Zanzibar"  # a word only the content holds: it must vanish with a redaction


def email(ref: str, **kw: Any) -> dict[str, Any]:
    """A captured email as a mail sync hands it over, as plain data."""
    return {
        "client": {"id": "client-17", "name": "Jane Doe"},
        "kind": "email",
        "source": "imap",
        "source_ref": ref,
        "occurred_at": "2026-11-02T09:15:00+00:00",
        "counterpart": {"name": "Jane Doe", "address": "jane@example.org"},
        "subject": "Invoice 2231 overdue",
        "body": f"Hi Sam,\nthe boiler service invoice 2231 for {SECRET} is overdue.\n\nRegards,\nJane",
        **kw,
    }


def _descriptions(page: cl.InteractionPage) -> list[str]:
    return [i.description for i in page.items]


class InteractionContract:
    """The rules' "Interactions" through ``app.interactions`` on the store under test."""

    @pytest.fixture
    def seeds(self, store: Store) -> Seeds:
        return Seeds(store)

    # --- capture ---------------------------------------------------------------------------

    def test_a_capture_is_named_tagged_and_audited_without_its_content(self, seeds: Seeds) -> None:
        captured = seeds.app.interactions.capture(seeds.alice, email("<a1@mail>"))
        assert captured.description == "Email from Jane Doe: Invoice 2231 overdue"
        assert "invoice 2231" in " ".join(captured.tags)
        assert (captured.version, captured.captured_by) == (1, seeds.alice.staff_id)
        assert seeds.app.interactions.get(seeds.bob, captured.id) == captured
        (event,) = seeds.app.audit.events(seeds.alice, entity_id=captured.id)
        assert (event.command, event.entity) == ("capture", "interaction")
        assert SECRET not in json.dumps(event.after)

    def test_capturing_the_same_message_again_returns_the_stored_one(self, seeds: Seeds) -> None:
        first = seeds.app.interactions.capture(seeds.alice, email("<a1@mail>"))
        again = seeds.app.interactions.capture(seeds.bob, email("<a1@mail>", subject="Changed"))
        assert again == first
        assert len(seeds.app.audit.events(seeds.alice, entity_id=first.id)) == 1
        assert seeds.app.interactions.list(seeds.alice).total == 1
        # The same reference from another source, or in another organisation, is another message.
        other = seeds.app.interactions.capture(seeds.alice, email("<a1@mail>", source="gmail"))
        theirs = seeds.app.interactions.capture(seeds.eve, email("<a1@mail>"))
        assert len({first.id, other.id, theirs.id}) == 3

    def test_racing_captures_of_one_message_store_it_once(self, seeds: Seeds) -> None:
        people = [seeds.alice, seeds.bob, seeds.head, *seeds.colleagues(5)]
        outcomes = race(people, lambda me: seeds.app.interactions.capture(me, email("<r@mail>")))
        assert len({o.id for o in outcomes if isinstance(o, cl.Interaction)}) == 1
        assert len(outcomes) == len(people)
        assert seeds.app.interactions.list(seeds.alice).total == 1

    def test_a_unit_of_work_finds_what_it_wrote_and_a_failed_one_leaves_no_word(
        self, seeds: Seeds
    ) -> None:
        first = seeds.app.interactions.capture(seeds.alice, email("<u1>", subject="Boiler fixed"))

        def search(uow: UnitOfWork, text: str) -> list[str]:
            query = InteractionQuery(
                org_id=seeds.org.id, search=parse_search(text), timezone=seeds.org.timezone
            )
            return [i.id for i in uow.interactions.page(query).items]

        later = [
            attrs.evolve(
                first,
                id=cl.InteractionId(f"int-u{n}"),
                source_ref=f"<u{n}>",
                occurred_at=first.occurred_at.subtract(minutes=n),  # in any time order
                description=f"Xylophone lesson {n}",
                tags=(),
            )
            for n in (2, 3)
        ]

        def write_then_fail() -> None:
            with seeds.store.unit_of_work() as uow:
                for interaction in later:
                    uow.interactions.add(interaction)
                assert search(uow, "xylo") == ["int-u2", "int-u3"]
                uow.interactions.update(
                    attrs.evolve(later[0], description="Boiler lesson", version=2),
                    expected_version=1,
                )
                assert search(uow, "boil") == [first.id, "int-u2"]
                assert search(uow, "xylophone") == ["int-u3"]
                raise RuntimeError("the unit of work fails")

        with pytest.raises(RuntimeError):
            write_then_fail()
        with seeds.store.unit_of_work(read_only=True) as uow:
            assert search(uow, "xylo") == search(uow, "lesson") == []
            assert search(uow, "boil") == [first.id]

    def test_capture_many_keeps_the_good_items_and_says_why_others_were_refused(
        self, seeds: Seeds
    ) -> None:
        consumed: list[int] = []

        def items() -> Iterator[Any]:  # good and bad items, as a sync job may send
            for n in range(7):
                consumed.append(n)
                yield email(f"<m{n}@mail>", subject=f"Message {n}")
            consumed.append(7)
            yield email("<m1@mail>")  # a duplicate of an earlier item
            consumed.append(8)
            yield {"kind": "email"}  # no client, no source...
            consumed.append(9)
            yield email("<naive@mail>", occurred_at="2026-11-02T09:15:00")
            consumed.append(10)
            yield "not a draft"

        reports: list[tuple[int, int]] = []
        report = seeds.app.interactions.capture_many(
            seeds.alice,
            items(),
            batch_size=4,
            progress=lambda r: reports.append((r.seen, len(consumed))),
        )
        assert (report.captured, report.duplicates) == (7, 1)
        assert [(r.index, r.field) for r in report.rejected] == [
            (8, "client"),
            (9, "occurred_at"),
            (10, "draft"),
        ]
        # Read lazily: each batch is taken from the input only when it is captured.
        assert reports == [(4, 4), (8, 8), (11, 11)]
        assert seeds.app.interactions.list(seeds.alice).total == 7

    def test_a_batch_reads_its_stored_messages_at_once_and_a_repeat_counts_once(
        self, seeds: Seeds
    ) -> None:
        app = seeds.app
        first = app.interactions.capture(seeds.alice, email("<d1>"))
        theirs = app.interactions.capture(seeds.eve, email("<d2>"))
        batch = [
            email("<d1>"),  # stored before
            email("<d2>"),  # stored in another organisation only: new here
            email("<d2>"),  # a repeat within the batch
            email("<d3>", source="sms-gateway"),
            email("<d3>"),  # the same reference from another source: another message
        ]
        report = app.interactions.capture_many(seeds.alice, batch, batch_size=10)
        assert (report.captured, report.duplicates) == (3, 2)
        refs = [("imap", "<d1>"), ("imap", "<d2>"), ("sms-gateway", "<d3>"), ("imap", "<d9>")]
        with seeds.store.unit_of_work(read_only=True) as uow:
            found = uow.interactions.find_by_sources(seeds.org.id, refs)
            assert found == {
                ref: uow.interactions.find_by_source(seeds.org.id, *ref) for ref in refs[:3]
            }
        assert found[("imap", "<d1>")] == first
        assert theirs.id not in {i.id for i in found.values()}
        assert app.interactions.list(seeds.alice).total == 4

    def test_bad_input_is_refused_and_nothing_is_written(self, seeds: Seeds) -> None:
        app = seeds.app
        trail = app.audit.events(seeds.alice)
        for bad in (None, 42, {"client": "x"}, email("<b>", kind="fax"), email("", source="s")):
            with pytest.raises(cl.ValidationError):
                app.interactions.capture(seeds.alice, bad)  # type: ignore[arg-type]
        for kw in ({"batch_size": 0}, {"batch_size": True}, {"progress": 3}):
            with pytest.raises(cl.ValidationError):
                app.interactions.capture_many(seeds.alice, [], **kw)
        with pytest.raises(cl.ValidationError):
            app.interactions.capture_many(seeds.alice, 17)  # type: ignore[arg-type]
        assert app.interactions.list(seeds.alice).total == 0
        assert app.audit.events(seeds.alice) == trail

    # --- corrections -----------------------------------------------------------------------

    def test_a_rename_changes_the_description_and_what_finds_it(self, seeds: Seeds) -> None:
        app = seeds.app
        captured = app.interactions.capture(seeds.alice, email("<a1@mail>"))
        renamed = app.interactions.rename(seeds.bob, captured.id, "Boiler bill chased")
        assert renamed.description == "Boiler bill chased"
        assert renamed.version == 2
        assert (renamed.subject, renamed.body, renamed.kind) == (
            captured.subject,
            captured.body,
            captured.kind,
        )
        assert _descriptions(app.interactions.list(seeds.alice, search="chas")) == [
            "Boiler bill chased"
        ]
        assert app.interactions.list(seeds.alice, search="jane").total == 0  # the old name
        event = app.interactions.detail(seeds.alice, captured.id).history[0]
        assert event.command == "rename"
        assert event.detail == {"from": captured.description, "to": "Boiler bill chased"}
        with pytest.raises(cl.ValidationError):
            app.interactions.rename(seeds.bob, captured.id, "x" * 81)

    def test_a_relink_moves_it_to_the_right_client_and_keeps_its_content(
        self, seeds: Seeds
    ) -> None:
        app = seeds.app
        captured = app.interactions.capture(seeds.alice, email("<a1@mail>"))
        moved = app.interactions.relink(seeds.bob, captured.id, {"id": "client-42", "name": "Acme"})
        assert moved.client == cl.ClientRef("client-42", "Acme")
        assert (moved.kind, moved.body, moved.description) == (
            captured.kind,
            captured.body,
            captured.description,
        )
        assert app.interactions.list(seeds.alice, client_id="client-17").total == 0
        assert app.interactions.list(seeds.alice, client_id="client-42").total == 1
        with pytest.raises(cl.ValidationError):
            app.interactions.relink(seeds.bob, captured.id, {"id": "client-42", "name": "Acme"})

    def test_a_redaction_keeps_a_tombstone_that_no_content_word_finds(self, seeds: Seeds) -> None:
        app = seeds.app
        captured = app.interactions.capture(seeds.alice, email("<a1@mail>"))
        with pytest.raises(cl.PermissionDenied):
            app.interactions.redact(seeds.alice, captured.id)
        tomb = app.interactions.redact(seeds.head, captured.id)
        assert (tomb.subject, tomb.body, tomb.description, tomb.tags) == ("", "", "", ())
        assert tomb.counterpart == cl.Counterpart()
        assert tomb.redaction == cl.Redaction(seeds.head.staff_id, tomb.updated_at)
        assert (tomb.id, tomb.kind, tomb.occurred_at) == (
            captured.id,
            captured.kind,
            captured.occurred_at,
        )
        for word in ("invoice", "jane", "boiler", "overdue", SECRET):
            assert app.interactions.list(seeds.alice, search=word).total == 0, word
        assert _ids(app.interactions.list(seeds.alice, search=captured.id)) == [captured.id]
        assert _ids(app.interactions.list(seeds.alice, search="2026-11-02")) == [captured.id]
        detail = app.interactions.detail(seeds.alice, captured.id)
        assert [e.command for e in detail.history] == ["redact", "capture"]
        assert SECRET not in json.dumps([(e.before, e.after) for e in detail.history])
        with pytest.raises(cl.InvalidTransition):
            app.interactions.rename(seeds.head, captured.id, "Back again")
        # Captured again from its source, it stays the tombstone.
        assert app.interactions.capture(seeds.alice, email("<a1@mail>")) == tomb

    def test_another_organisations_interactions_do_not_exist_for_you(self, seeds: Seeds) -> None:
        app = seeds.app
        mine = app.interactions.capture(seeds.alice, email("<a1@mail>"))
        for attempt in (
            lambda: app.interactions.get(seeds.eve, mine.id),
            lambda: app.interactions.detail(seeds.eve, mine.id),
            lambda: app.interactions.rename(seeds.eve, mine.id, "Mine now"),
            lambda: app.interactions.redact(seeds.eve, mine.id),
        ):
            with pytest.raises(cl.NotFound):
                attempt()
        assert app.interactions.list(seeds.eve, search="invoice").total == 0
        assert app.interactions.list(seeds.eve).total == 0

    # --- search and lists ------------------------------------------------------------------

    def test_search_as_one_types(self, seeds: Seeds) -> None:
        app = seeds.app
        app.interactions.capture(seeds.alice, email("<a1@mail>"))
        app.interactions.capture(
            seeds.alice,
            email(
                "<a2@mail>",
                subject="Réunion annulée",
                description="Réunion annulée avec Élodie",
                occurred_at="2026-11-23T23:30:00+00:00",
                tags=["Planning"],
            ),
        )
        found = app.interactions.list
        assert _descriptions(found(seeds.alice, search="inv 22")) == [
            "Email from Jane Doe: Invoice 2231 overdue"
        ]
        assert found(seeds.alice, search="INVOICE 2231 overdue").total == 1
        assert found(seeds.alice, search="invoice elodie").total == 0
        assert found(seeds.alice, search="ELODIE reun").total == 1
        assert found(seeds.alice, search="plan").total == 1  # a tag
        # London in November is UTC: 23:30 is still the 23rd there.
        assert found(seeds.alice, search="2026-11-23").total == 1
        assert found(seeds.alice, search="2026-11").total == 2
        assert found(seeds.alice, search="2026-1").total == 2
        # Syntax characters separate words; the words left must all match.
        for text in ['"inv', "inv*", "-inv", "((inv", "😀 inv", "inv) (", "jane:inv"]:
            assert found(seeds.alice, search=text).total == 1, text
        for text in ["NEAR(inv", "inv OR x", "description: inv", "{subject}: inv"]:
            assert found(seeds.alice, search=text).total == 0, text
        assert found(seeds.alice, search="invoice " * 1_250).total == 1  # 10 kB
        for empty in ("", "   ", "😀", "-- **", '"', "*", "-", "(("):
            with pytest.raises(cl.ValidationError):
                found(seeds.alice, search=empty)

    def test_lists_sort_page_and_group_by_kind(self, seeds: Seeds) -> None:
        app = seeds.app
        for n, (kind, hour) in enumerate([("email", 9), ("call", 11), ("sms", 10), ("call", 8)]):
            app.interactions.capture(
                seeds.alice,
                email(
                    f"<k{n}>",
                    kind=kind,
                    description=f"Item {n}",
                    occurred_at=START.add(hours=hour).isoformat(),
                ),
            )
        listed = app.interactions.list
        assert _descriptions(listed(seeds.alice)) == ["Item 1", "Item 2", "Item 0", "Item 3"]
        assert _descriptions(listed(seeds.alice, sort="occurred_at")) == [
            "Item 3",
            "Item 0",
            "Item 2",
            "Item 1",
        ]
        assert _descriptions(listed(seeds.alice, sort="-description")) == [
            "Item 3",
            "Item 2",
            "Item 1",
            "Item 0",
        ]
        grouped = listed(seeds.alice, group_by_kind=True)
        assert [(i.kind.value, i.description) for i in grouped.items] == [
            ("call", "Item 1"),
            ("call", "Item 3"),
            ("email", "Item 0"),
            ("sms", "Item 2"),
        ]
        second = listed(seeds.alice, per_page=3, page=2)
        assert (_descriptions(second), second.has_next, second.has_prev) == (
            ["Item 3"],
            False,
            True,
        )
        first = listed(seeds.alice, per_page=3, kinds=["call", "sms"])
        assert (first.total, first.has_next) == (3, False)
        for bad in ({"sort": "colour"}, {"kinds": ["fax"]}, {"page": 0}, {"group_by_kind": 1}):
            with pytest.raises(cl.ValidationError):
                listed(seeds.alice, **bad)

    def test_a_common_word_counts_up_to_the_cap(self, seeds: Seeds) -> None:
        app = seeds.app
        drafts = (
            email(f"<c{n}>", occurred_at=START.add(seconds=n // 3).isoformat(), tags=[])
            for n in range(MAX_COUNT + 5)
        )
        assert app.interactions.capture_many(seeds.alice, drafts).captured == MAX_COUNT + 5
        page = app.interactions.list(seeds.alice, search="invoice", per_page=10)
        assert (page.total, page.total_is_exact, page.has_next) == (MAX_COUNT, False, True)
        pages = -(-(MAX_COUNT + 5) // 20)
        last = app.interactions.list(seeds.alice, search="invoice", per_page=20, page=pages)
        assert (len(last.items), last.has_next) == ((MAX_COUNT + 5) % 20 or 20, False)
        # Newest first, and within one instant by id: every page in turn, each once.
        keys = [
            (i.occurred_at, i.id)
            for p in range(1, pages + 1)
            for i in app.interactions.list(seeds.alice, per_page=20, page=p).items
        ]
        assert len(set(keys)) == MAX_COUNT + 5
        assert keys == sorted(keys, reverse=True)

    # --- exports ---------------------------------------------------------------------------

    def test_an_export_holds_what_the_list_shows_on_every_page(self, seeds: Seeds) -> None:
        app = seeds.app
        for n in range(25):
            subject = f"Invoice {n}" if n % 2 else f"Élodie's visit {n}"
            app.interactions.capture(seeds.alice, email(f"<x{n}>", subject=subject))
        app.interactions.capture(seeds.eve, email("<theirs>"))
        counted: list[int] = []
        out = io.BytesIO()
        written = app.interactions.export(seeds.alice, out, search="visit", progress=counted.append)
        rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
        listed = app.interactions.list(seeds.alice, search="visit", per_page=100)
        assert written == len(rows) == listed.total == 13
        assert [r["id"] for r in rows] == _ids(listed)
        assert counted[-1] == 13
        everything = io.BytesIO()
        assert app.interactions.export(seeds.alice, everything, sort="description") == 25
        text = everything.getvalue().decode("utf-8")
        assert "Élodie" in text
        assert "theirs" not in text
        with pytest.raises(cl.ValidationError):
            app.interactions.export(seeds.alice, io.BytesIO(), format="docx")


def _ids(page: cl.InteractionPage) -> list[str]:
    return [i.id for i in page.items]
