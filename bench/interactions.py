"""Capturing interactions and searching them as one types, against hand-written SQL: ``nox -s bench -- interactions``.

**The corpus** (deterministic, seeded; a shorter run holds a prefix of a
longer one): one organisation (Europe/London) and one sync-job staff member;
emails (45%), SMS (20%), calls (18%), notes (10%), WhatsApp messages and
meetings from 25 clients (a few big ones), counterparts with accented names,
phone numbers and addresses. Subjects and bodies are made of a vocabulary of
stop words, ~190 trade words (a few accented) and 50,000 made-up words drawn
with a Zipf law (rank^-1), so some words are in most interactions and many in
a few dozen. Emails have greetings, signatures and quoted lines; some
subjects have "Re:"/"Fwd:" and a number. ``occurred_at`` is spread over the
three years before ``NOW`` (recent ones more likely) and is *not* in capture
order (sync jobs backfill); 8% share the second of a recent one (whole
seconds for emails and calls, so some instants are equal).

**1. Capture** of ``--capture N`` interactions (default 20,000), plain data
as a sync job sends it, ``--batch-size`` per transaction (default the
service's 500), each side on its own fresh file made by the library, after an
untimed warm-up of 500, baseline first, ``--capture-rounds`` times in turn
(default 3; each round on new files):

- ours: ``app.interactions.capture_many`` on a ``SqliteStore``, auto-naming
  always on; *without tagging* each draft has ``tags=[]`` (the service then
  skips the extractor), *with tagging* the default extractor runs.
- by hand, per-row ``execute`` (the ratio's reference): per batch one
  ``BEGIN IMMEDIATE``, the staff row checked, then per item: the description
  by the library's ``naming.describe`` and (with tagging) the same extractor
  (the baseline is about the SQL, not about re-implementing naming), the index
  words cut with ``text_words`` plus the date words, ``INSERT ... ON CONFLICT
  (org_id, source, source_ref) DO NOTHING`` into the same ``interactions``
  table (its key ``seq`` counted in capture order, where ours is a time key),
  then for a new row its words into the same
  FTS5 index and an audit event with the same JSON snapshot. Per-row, because
  an idempotent capture must know which rows were new; that is the fair one.
- by hand, ``executemany`` (shown for scale, no tagging): the same rows with
  precomputed keys, three ``executemany`` per batch, no duplicate check (a
  duplicate would fail its batch): the floor of what SQLite can do here.

Reported: each side's median run (rows/s); the slowdown of each round = by
hand's rows/s / ours in that round (> 1 = ours slower), the two runs made
back to back; and the median of those (target <= 1.5 without tagging): paired
rounds, because a busy machine or a disk still writing out the last run's
files slows both runs of a round alike, and single runs here were seen to
vary by a third. **Checked**: ours and the by-hand file hold
the same rows (content, description, tags, occurred_at, the indexed words
but for the id), as many index entries and audit events.

**2. The search store**: ``--rows N`` interactions (default 1,000,000) of the
same corpus captured through ``capture_many`` with tagging, in batches of
10,000. If the capture rate measured in step 1 says that would take over
``--load-budget`` minutes (default 10), the extractor runs in a worker
process instead and the drafts carry its tags (``--load pooled``): the same
service call and stored rows, tagging on another core. Printed: how long it
took and the rate per 100,000. Then the hand-written baseline is built from
it in its own file: a table of the same rows with rowid = capture order, an
index on ``(org_id, occurred_at)`` and an ordinary FTS5 table (content
stored, ``unicode61 remove_diacritics 2``) over ``description`` and ``tags``.
Both files are read once before the searches, to start from the OS page cache.

**3. Search**: ``--queries N`` (default 200) two-word queries as one types
them: both words drawn from the words of the descriptions and tags of 20,000
random interactions, by frequency (so common words come often), the second
cut to a random prefix of 1 to all of its characters. Each timed alone on
each side, the sides in every order in turn (ours' two share a connection and
its page cache, so each goes second as often), after ``--warmup`` untimed
queries:

- ours: ``app.interactions.list(actor, search=q, per_page=10)``, the whole
  service call (the page newest first, ``has_next`` and a total counted up to
  1,000), and the store alone: a read unit of work and
  ``uow.interactions.page(query)`` with the query built beforehand;
- by hand, FTS5: ``SELECT t.* FROM fts JOIN t ON t.rid = fts.rowid WHERE fts
  MATCH '"w1"* "w2"*' AND t.org_id = ? ORDER BY t.occurred_at DESC, t.id DESC
  LIMIT 10`` (``id`` added so ties have one order);
- by hand, ``LIKE '%w1%' AND LIKE '%w2%'`` over the description, newest first,
  on the first ``--like-queries`` queries only (default 20: it scans).

Reported: p50/p90/p99/max in ms, ours / FTS5 at p50 and p99; target: ours'
p99 under 20 ms at 1M. **Checked** (exit 1 on a difference): for the first
``--check`` queries (default 30) and ours' 5 slowest, ours' first page (ids in
order, ``has_next``, ``total``, ``total_is_exact``) against a brute-force
reference: one pass over every stored row, the domain's ``searchable_words``
of the row read back, "every query word starts some word", sorted by instant
then id, newest first. The FTS5 baseline's ids are compared with ours for
every query, for information only: it indexes fewer words (not the id nor the
dates: "ab" also finds an id starting "ab" in ours), so some differ by design.
For ours' slowest queries the store's statements are printed with their own
time and ``EXPLAIN QUERY PLAN`` (with how many statements FTS5 ran inside,
and each query word alone, as a prefix and as a whole term), then the
baselines' plans and the size and segments of both FTS5 indexes.

No ``ANALYZE`` (the store never runs it) unless ``--analyze``. The machine's
load average is printed: other processes may make the figures noisy. Run
``python bench/interactions.py --dir /tmp/bi``, or ``--quick`` for a smoke
run; ``--reuse DIR`` searches the ``store.db`` and ``base.db`` a previous run
left in ``DIR`` (the folder it made inside its ``--dir``) instead of loading. Results go to
``bench/results/interactions.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import gc
import hashlib
import heapq
import itertools
import json
import multiprocessing
import operator
import random
import sqlite3
import statistics
import sys
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import _common as common
import attrs
import pendulum
from _data import SECOND_US, SEED, micros_of, pick
from _measure import median_run, stats_ms
from _sqlite import (
    connect,
    explain_each,
    finish_load,
    immediate,
    loader_connection,
    plan,
    read_pragmas,
    require_staff,
    statement_ms,
    traced,
)

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.interaction_rows import interaction_from_row, org_token
from contactlog_core.application.interactions import DEFAULT_BATCH, MAX_BATCH
from contactlog_core.domain.interactions.model import Counterpart, normalise_tags
from contactlog_core.domain.interactions.naming import describe
from contactlog_core.domain.interactions.queries import MAX_COUNT, InteractionPage, InteractionQuery
from contactlog_core.domain.interactions.search import parse_search, searchable_words, text_words
from contactlog_core.domain.shared.text import fold, name_key
from contactlog_core.ports import TagExtractor
from contactlog_core.tags import default_extractor

TARGET_CAPTURE = 1.5  # by hand's rows/s over ours', without tagging: at most
TARGET_P99_MS = 20.0  # ours, a two-word search's first page at 1M: p99 under
TIMEZONE = "Europe/London"
ZONE = zoneinfo.ZoneInfo(TIMEZONE)
NOW = pendulum.datetime(2026, 11, 2, 12, tz="UTC")
SETUP = NOW.subtract(years=4)  # when the organisation and its staff were made
PER_PAGE = 10
LOAD_BATCH = MAX_BATCH  # capture_many's batch size for the search store
LOAD_WINDOW = 20_000  # drafts tagged ahead by the worker process (pooled load)
PROGRESS_EVERY = 100_000
CAPTURE_WARMUP = 500
WORD_SAMPLE = 20_000  # interactions whose words the queries are drawn from
SLOWEST = 5
SAME_SECOND = 0.08  # share of interactions in the second of a recent one
STORE_CACHE_KIB = 16_384  # SqliteStore's cache_size, given to the baselines' connections too
PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store", "page_size")

NOW_US = micros_of(NOW)
SPAN_US = 3 * 365 * 86_400 * SECOND_US
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# --- the corpus ----------------------------------------------------------------------------

STOPWORDS = (
    "the", "to", "and", "a", "of", "for", "you", "in", "is", "we", "on", "i", "it", "be",
    "your", "with", "this", "that", "are", "have", "can", "at", "our", "please", "will", "as",
    "if", "not", "me", "by", "from", "so", "all", "do", "let", "know", "thanks", "just",
    "about", "would", "an", "or", "was", "get", "my", "there", "when", "up", "us", "any",
)  # fmt: skip
TRADE_WORDS = (
    "invoice", "quote", "payment", "roof", "boiler", "service", "repair", "booking",
    "appointment", "delivery", "order", "refund", "contract", "visit", "survey", "estimate",
    "deposit", "schedule", "kitchen", "bathroom", "window", "door", "gutter", "heating", "leak",
    "plumbing", "electrics", "garden", "fence", "paint", "tiles", "flooring", "insulation",
    "scaffolding", "chimney", "drain", "extension", "loft", "conversion", "damp", "plaster",
    "radiator", "thermostat", "valve", "pipe", "tap", "shower", "toilet", "sink", "boiler",
    "warranty", "guarantee", "certificate", "inspection", "permit", "planning", "council",
    "neighbour", "access", "keys", "parking", "skip", "materials", "timber", "slate", "lead",
    "flashing", "fascia", "soffit", "render", "brick", "mortar", "pointing", "patio", "decking",
    "driveway", "gravel", "drainage", "sewer", "septic", "cylinder", "immersion", "solar",
    "panel", "battery", "charger", "meter", "fuse", "socket", "lighting", "wiring", "alarm",
    "smoke", "carbon", "monoxide", "gas", "safety", "check", "annual", "callout", "emergency",
    "urgent", "overdue", "reminder", "statement", "receipt", "balance", "credit", "debit",
    "transfer", "bank", "cheque", "cash", "discount", "price", "cost", "labour", "hours",
    "weekend", "monday", "tuesday", "wednesday", "thursday", "friday", "morning", "afternoon",
    "tomorrow", "today", "next", "week", "month", "confirm", "cancel", "reschedule", "arrive",
    "late", "delay", "photos", "drawings", "plans", "measurements", "sample", "colour",
    "finish", "supplier", "stock", "backorder", "tracking", "courier", "damaged", "replacement",
    "complaint", "feedback", "review", "recommend", "thank", "question", "update", "details",
    "address", "postcode", "phone", "email", "tenant", "landlord", "agent", "property", "flat",
    "house", "cottage", "barn", "garage", "shed", "conservatory", "porch", "stairs", "ceiling",
    "wall", "floor", "café", "façade", "crème", "résumé", "naïve", "entrée", "rôle", "déjà",
)  # fmt: skip
CONNECTORS = ("for", "the", "about", "and", "of", "your", "re", "on")
FIRST = (
    "Sam", "Alex", "Jordan", "Kim", "Lee", "Robin", "Chris", "Pat", "Jamie", "Ali", "Zoé",
    "Mateo", "Ana", "Kai", "Nina", "Omar", "Léa", "Tomás", "Inès", "Yuki", "Élodie", "José",
    "Søren", "Siobhán", "Jürgen", "Chloé", "Łukasz", "Björn", "Renée", "Niamh", "Priya", "Wei",
)  # fmt: skip
LAST = (
    "Baker", "Carter", "Dixon", "Ellis", "Fox", "Gray", "Hunt", "Irwin", "Khan", "Lloyd",
    "Moreau", "Núñez", "Olsen", "Price", "Quinn", "Reyes", "Sato", "Usman", "Vance", "Dubois",
    "Álvarez", "Müller", "Lefèvre", "Nowak", "Okonkwo", "Kowalska", "Côté", "Öztürk", "O'Neil",
)  # fmt: skip
STAFF = ("Alice Smith", "Oliver Brown", "Amelia Jones", "Noah Williams", "Isla Taylor")
DOMAINS = ("example.com", "mail.example", "post.example.org", "example.co.uk")
TRADES = ("Roofing", "Lettings", "Properties", "Builders", "Estates", "Homes", "Holdings")
KINDS = (
    ("email", 0.45), ("sms", 0.20), ("call", 0.18), ("note", 0.10), ("whatsapp", 0.05),
    ("meeting", 0.02),
)  # fmt: skip
SOURCES = {
    "email": "imap", "sms": "sms-gateway", "whatsapp": "whatsapp", "call": "phone-system",
    "note": "app", "meeting": "calendar",
}  # fmt: skip
INBOUND_SHARE = {"email": 0.6, "sms": 0.55, "whatsapp": 0.6, "call": 0.5}


@attrs.frozen
class Zipf:
    """Words drawn with probability proportional to 1 / rank."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def over(cls, words: Sequence[str]) -> Zipf:
        weights = (1 / rank for rank in range(1, len(words) + 1))
        return cls(tuple(words), tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


@attrs.frozen
class Vocabulary:
    body: Zipf  # stop words first, then trade words, then made-up ones
    subject: Zipf  # trade words, then made-up ones
    clients: tuple[tuple[str, str], ...]
    client_weights: tuple[float, ...]


def made_up_words(n: int, taken: Iterable[str]) -> list[str]:
    """``n`` pronounceable words that are no real word of the corpus (product names, streets)."""
    rng = random.Random(f"{SEED}:words")
    onsets = (
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
        "z", "br", "dr", "fl", "gr", "kr", "pl", "pr", "sk", "st", "tr",
    )  # fmt: skip
    vowels = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
    seen = set(taken)
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3)))
        word += rng.choice("nrstlm") if rng.random() < 0.4 else ""
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


@functools.cache
def vocabulary() -> Vocabulary:
    trade = list(dict.fromkeys(TRADE_WORDS))
    made_up = made_up_words(50_000, [*STOPWORDS, *trade])
    rng = random.Random(f"{SEED}:clients")
    clients = tuple(
        (f"client-{k:03d}", f"{rng.choice(LAST)} {rng.choice(TRADES)}") for k in range(25)
    )
    return Vocabulary(
        body=Zipf.over([*STOPWORDS, *trade, *made_up]),
        subject=Zipf.over([*trade, *made_up]),
        clients=clients,
        client_weights=tuple(1 / (k + 1) for k in range(len(clients))),
    )


@attrs.frozen
class Item:
    """One interaction as a source delivers it: what every side captures."""

    kind: str
    direction: str
    client_id: str
    client_name: str
    counterpart_name: str
    counterpart_address: str
    subject: str
    body: str
    occurred_us: int
    source: str
    source_ref: str


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(rng: random.Random, words: Zipf, low: int, high: int) -> str:
    return capitalised(" ".join(words.draw(rng, rng.randint(low, high)))) + "."


def subject_line(rng: random.Random, v: Vocabulary) -> str:
    words = v.subject.draw(rng, rng.randint(2, 6))
    if rng.random() < 0.3:
        words.insert(rng.randrange(1, len(words)), rng.choice(CONNECTORS))
    if rng.random() < 0.15:
        words.append(str(rng.randrange(1000, 10_000)))
    prefix = pick(rng, (("Re: ", 0.25), ("Fwd: ", 0.08), ("", 0.67)))
    return prefix + capitalised(" ".join(words))


def email_body(rng: random.Random, v: Vocabulary, to: str, signed: str) -> str:
    parts = []
    greeting = pick(rng, (("Hi", 0.5), ("Dear", 0.2), ("", 0.3)))
    if greeting:
        parts.append(f"{greeting} {to.split()[0]},")
    parts.append(" ".join(sentence(rng, v.body, 5, 14) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.6:
        parts.append(f"Kind regards,\n{signed}")
    if rng.random() < 0.2:
        parts.append("> " + sentence(rng, v.body, 5, 14))
    return "\n\n".join(parts)


def content(
    rng: random.Random, v: Vocabulary, kind: str, party: str, staff: str
) -> tuple[str, str]:
    """The subject and body of one interaction of ``kind``."""
    if kind == "email":
        return subject_line(rng, v), email_body(rng, v, party or "there", staff)
    if kind in ("sms", "whatsapp"):
        return "", " ".join(sentence(rng, v.body, 3, 10) for _ in range(rng.randint(1, 2)))
    if kind == "call":
        subject = "Call about " + " ".join(v.subject.draw(rng, 2)) if rng.random() < 0.2 else ""
        body = "" if rng.random() < 0.4 else sentence(rng, v.body, 4, 16)
        return subject, body
    subject = subject_line(rng, v) if kind == "meeting" or rng.random() < 0.3 else ""
    return subject, " ".join(sentence(rng, v.body, 5, 14) for _ in range(rng.randint(1, 3)))


def party(rng: random.Random, kind: str) -> tuple[str, str, str]:
    """Direction, counterpart name and address."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{first} {last}"
    if kind == "note":
        return "internal", "", ""
    if kind == "meeting":
        return "outbound", name, ""
    direction = "inbound" if rng.random() < INBOUND_SHARE[kind] else "outbound"
    if kind == "email":
        local = "".join(c for c in fold(f"{first}.{last}") if c.isalnum() or c == ".")
        return direction, name, f"{local}@{rng.choice(DOMAINS)}"
    phone = f"+44 7700 {rng.randrange(900_000, 901_000)}"
    named = rng.random() < (0.7 if kind == "call" else 0.4)
    return direction, name if named else "", phone


def occurred(rng: random.Random, recent: collections.deque[int], whole_second: bool) -> int:
    """When, in microseconds: the last three years, recent ones likelier; some in a recent second."""
    if recent and rng.random() < SAME_SECOND:
        second = rng.choice(recent)
    else:
        second = (NOW_US - int(SPAN_US * rng.random() ** 1.5)) // SECOND_US
        recent.append(second)
    return second * SECOND_US + (0 if whole_second else rng.randrange(SECOND_US))


def corpus(n: int, stream: str) -> Iterator[Item]:
    """``n`` interactions as sync jobs deliver them, not in time order.

    The same ``stream`` gives the same items, and a shorter run a prefix of a
    longer one. ``source_ref`` is ``stream-NNNNNNNNN``: it sorts in capture order.
    """
    rng = random.Random(f"{SEED}:{stream}")
    v = vocabulary()
    recent: collections.deque[int] = collections.deque(maxlen=64)
    for i in range(n):
        kind = pick(rng, KINDS)
        direction, name, address = party(rng, kind)
        staff = rng.choice(STAFF)
        signed = name if direction == "inbound" and name else staff
        subject, body = content(rng, v, kind, name if direction == "outbound" else staff, signed)
        client_id, client_name = rng.choices(v.clients, cum_weights=_client_cum(), k=1)[0]
        yield Item(
            kind=kind,
            direction=direction,
            client_id=client_id,
            client_name=client_name,
            counterpart_name=name,
            counterpart_address=address,
            subject=subject,
            body=body,
            occurred_us=occurred(rng, recent, whole_second=kind in ("email", "call")),
            source=SOURCES[kind],
            source_ref=f"{stream}-{i:09d}",
        )


@functools.cache
def _client_cum() -> tuple[float, ...]:
    return tuple(itertools.accumulate(vocabulary().client_weights))


def instant(micros: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=micros)


def draft(item: Item, tags: Sequence[str] | None) -> dict[str, Any]:
    """``item`` as plain data, the way a sync job hands it to ``capture_many``."""
    data: dict[str, Any] = {
        "client": {"id": item.client_id, "name": item.client_name},
        "kind": item.kind,
        "source": item.source,
        "source_ref": item.source_ref,
        "occurred_at": instant(item.occurred_us),
        "direction": item.direction,
        "counterpart": {"name": item.counterpart_name, "address": item.counterpart_address},
        "subject": item.subject,
        "body": item.body,
    }
    if tags is not None:
        data["tags"] = list(tags)
    return data


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


# --- the world -----------------------------------------------------------------------------


@attrs.frozen
class World:
    """The organisation and the sync job's staff member, as the library made them."""

    org_id: str
    staff_id: str


def seed_world(path: Path) -> World:
    """A fresh store file: the library's schema, one organisation, one staff member."""
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(SETUP))
    try:
        org = app.organisations.create("Northfield Roofing", timezone=TIMEZONE)
        staff = app.staff.add(org.id, name="Mail sync", role="office_admin")
    finally:
        app.close()
    return World(org.id, staff.id)


def world_of(path: Path) -> World:
    """The world ``seed_world`` made in ``path``: the first staff member (others may follow)."""
    with closing(sqlite3.connect(path)) as conn:
        org_id, staff_id = conn.execute(
            "SELECT org_id, id FROM staff ORDER BY created_at, rowid LIMIT 1"
        ).fetchone()
    return World(org_id, staff_id)


def baseline_connection(path: Path) -> sqlite3.Connection:
    """``_sqlite.connect`` plus the store's cache and temp settings, so only the SQL differs."""
    conn = connect(path)
    conn.execute(f"PRAGMA cache_size = -{STORE_CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


# --- 1. capture ----------------------------------------------------------------------------


@attrs.frozen
class CaptureRun:
    side: str
    rows: int
    seconds: float
    pragmas: dict[str, Any]

    @property
    def per_s(self) -> float:
        return self.rows / self.seconds


def capture_ours(path: Path, items: Sequence[Item], tagged: bool, batch_size: int) -> CaptureRun:
    """``capture_many`` of ``items``, timed; ``tags=[]`` in each draft when not ``tagged``."""
    world = seed_world(path)
    app = cl.ContactLogApp(SqliteStore(path))
    tags = None if tagged else ()
    try:
        actor = app.actor(world.staff_id)
        warm = [draft(item, tags) for item in corpus(CAPTURE_WARMUP, "warm")]
        app.interactions.capture_many(actor, warm, batch_size=batch_size)
        drafts = [draft(item, tags) for item in items]
        gc.collect()
        t0 = time.perf_counter()
        report = app.interactions.capture_many(actor, drafts, batch_size=batch_size)
        seconds = time.perf_counter() - t0
        store = app.store
        assert isinstance(store, SqliteStore)
        pragmas = read_pragmas(store._connection(), PRAGMAS)  # private, but this is a benchmark
    finally:
        app.close()
    assert report.captured == len(items), report.summary()
    return CaptureRun("ours", report.captured, seconds, pragmas)


ROW_COLUMNS = """id, org_id, client_id, client_name, kind, direction, counterpart_name,
    counterpart_address, counterpart_key, subject, body, occurred_at, source, source_ref,
    description, description_key, tags, log_id, lead_id, captured_by, captured_at, updated_at,
    redacted_by, redacted_at, version, search_words"""
ROW_VALUES = (
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, NULL, NULL, 1, ?"
)
INSERT_ROW = f"""
INSERT INTO interactions (seq, {ROW_COLUMNS}) VALUES (?, {ROW_VALUES})
    ON CONFLICT (org_id, source, source_ref) DO NOTHING
"""
INSERT_ROW_AT = f"INSERT INTO interactions (seq, {ROW_COLUMNS}) VALUES (?, {ROW_VALUES})"
INDEX_ROW = "INSERT INTO interaction_search (rowid, words) VALUES (?, ?)"
INSERT_AUDIT = """
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before, after)
VALUES (?, ?, 'interaction', ?, 'capture', ?, ?, NULL, ?)
"""


def iso(micros: int) -> str:
    return instant(micros).isoformat()


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class Prepared:
    row: tuple[Any, ...]  # INSERT_ROW's parameters
    words: str  # what the index holds, after the organisation's token
    audit: tuple[Any, ...]  # INSERT_AUDIT's parameters


class ByHandCapture:
    """A careful developer's capture: bound parameters, one transaction per batch."""

    def __init__(self, path: Path, world: World, tagger: TagExtractor | None) -> None:
        self.conn = baseline_connection(path)
        self.world = world
        self.tagger = tagger
        self.token = "_" + world.org_id.encode().hex()  # the organisation's index word

    def prepare(self, item: Item, now: int) -> Prepared:
        description = describe(
            item.kind,
            item.direction,
            Counterpart(item.counterpart_name, item.counterpart_address),
            item.subject,
            item.body,
        )
        tags: tuple[str, ...] = ()
        if self.tagger is not None:
            tags = normalise_tags(self.tagger.extract(f"{item.subject}\n{item.body}", k=5))
        new_id = uuid.uuid4().hex
        local = instant(item.occurred_us).astimezone(ZONE)
        day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
        tag_words = (word for tag in tags for word in text_words(tag))
        words = [*text_words(description), *tag_words, *text_words(new_id), day, day[:7], day[:4]]
        searchable = " ".join(dict.fromkeys(words))
        org, staff = self.world.org_id, self.world.staff_id
        party = name_key(item.counterpart_name) or name_key(item.counterpart_address) or None
        row = (
            new_id, org, item.client_id, item.client_name, item.kind, item.direction,
            item.counterpart_name, item.counterpart_address, party, item.subject, item.body,
            item.occurred_us, item.source, item.source_ref, description, fold(description) or None,
            json.dumps(tags, ensure_ascii=False), staff, now, now, searchable,
        )  # fmt: skip
        after = {
            "id": new_id,
            "org_id": org,
            "client": {"id": item.client_id, "name": item.client_name},
            "kind": item.kind,
            "direction": item.direction,
            "counterpart": {"name": "", "address": ""},
            "subject": "",
            "body": "",
            "occurred_at": iso(item.occurred_us),
            "source": item.source,
            "source_ref": item.source_ref,
            "description": "",
            "tags": [],
            "links": {"log_id": None, "lead_id": None},
            "captured_by": staff,
            "captured_at": iso(now),
            "updated_at": iso(now),
            "redaction": None,
            "version": 1,
        }
        audit = (uuid.uuid4().hex, org, new_id, staff, now, dumps(after))
        return Prepared(row, f"{self.token} {searchable}", audit)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE ... COMMIT``, the sync job's staff row checked first."""
        with immediate(self.conn) as conn:
            require_staff(conn, self.world.staff_id, self.world.org_id)
            yield conn

    def capture(self, items: Iterable[Item], batch_size: int) -> int:
        """Per row: the idempotent INSERT, then, if it was new, its index words and audit event.

        ``seq`` (the table's unique key, which the word index's rowids are) is
        counted here in capture order: the simplest key that is unique.
        """
        captured = 0
        (last,) = self.conn.execute("SELECT coalesce(max(seq), 0) FROM interactions").fetchone()
        for batch in batched(items, batch_size):
            with self.transaction() as conn:
                for item in batch:
                    p = self.prepare(item, time.time_ns() // 1000)
                    cursor = conn.execute(INSERT_ROW, (last + 1, *p.row))
                    if cursor.rowcount == 1:
                        last += 1
                        conn.execute(INDEX_ROW, (last, p.words))
                        conn.execute(INSERT_AUDIT, p.audit)
                        captured += 1
        return captured

    def capture_executemany(self, items: Iterable[Item], batch_size: int) -> int:
        """Per batch: three ``executemany`` with rowids counted here; no duplicate check."""
        captured = 0
        (last,) = self.conn.execute("SELECT coalesce(max(seq), 0) FROM interactions").fetchone()
        for batch in batched(items, batch_size):
            with self.transaction() as conn:
                ready = [self.prepare(item, time.time_ns() // 1000) for item in batch]
                keys = range(last + 1, last + 1 + len(ready))
                conn.executemany(
                    INSERT_ROW_AT, [(k, *p.row) for k, p in zip(keys, ready, strict=True)]
                )
                conn.executemany(
                    INDEX_ROW, [(k, p.words) for k, p in zip(keys, ready, strict=True)]
                )
                conn.executemany(INSERT_AUDIT, [p.audit for p in ready])
            last += len(ready)
            captured += len(ready)
        return captured

    def close(self) -> None:
        self.conn.close()


def capture_by_hand(
    path: Path, items: Sequence[Item], tagged: bool, batch_size: int, style: str
) -> CaptureRun:
    world = seed_world(path)
    side = ByHandCapture(path, world, default_extractor() if tagged else None)
    run = side.capture if style == "execute" else side.capture_executemany
    try:
        run(corpus(CAPTURE_WARMUP, "warm"), batch_size)
        gc.collect()
        t0 = time.perf_counter()
        rows = run(items, batch_size)
        seconds = time.perf_counter() - t0
        pragmas = read_pragmas(side.conn, PRAGMAS)
    finally:
        side.close()
    assert rows == len(items), rows
    return CaptureRun(f"by hand ({style})", rows, seconds, pragmas)


# What both sides must have written alike: all but the ids, instants of capture and org.
SAME_ROWS = """
SELECT source, source_ref, client_id, client_name, kind, direction, counterpart_name,
       counterpart_address, counterpart_key, subject, body, occurred_at, description,
       description_key, tags, version, replace(search_words, id, '<id>')
  FROM {db}.interactions"""


def compare_capture(ours: Path, base: Path) -> dict[str, Any]:
    """Rows in one file and not the other (want 0), and what each file counts."""
    out: dict[str, Any] = {}
    with closing(sqlite3.connect(ours)) as conn:
        conn.execute("ATTACH DATABASE ? AS base", (str(base),))
        for a, b, name in (("main", "base", "ours"), ("base", "main", "by hand")):
            sql = f"SELECT count(*) FROM ({SAME_ROWS.format(db=a)} EXCEPT {SAME_ROWS.format(db=b)})"
            out[f"rows only in {name}"] = conn.execute(sql).fetchone()[0]
    out["counts"] = {"ours": file_counts(ours), "by hand": file_counts(base)}
    return out


def file_counts(path: Path) -> dict[str, float]:
    with closing(sqlite3.connect(path)) as conn:
        (org_id,) = conn.execute("SELECT id FROM organisations").fetchone()
        rows = conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
        indexed = conn.execute(
            "SELECT count(*) FROM interaction_search WHERE interaction_search MATCH ?",
            (f'"{org_token(org_id)}"',),
        ).fetchone()[0]
        events, size = conn.execute(
            "SELECT count(*), avg(length(after)) FROM audit_events WHERE entity = 'interaction'"
        ).fetchone()
    return {"rows": rows, "indexed": indexed, "audit_events": events, "audit_json_bytes": size}


def capture_ok(check: dict[str, Any]) -> bool:
    counts = check["counts"]
    same = {k: v for k, v in counts["ours"].items() if k != "audit_json_bytes"} == {
        k: v for k, v in counts["by hand"].items() if k != "audit_json_bytes"
    }
    return same and check["rows only in ours"] == 0 and check["rows only in by hand"] == 0


def capture_phase(where: Path, args: argparse.Namespace) -> dict[str, Any]:
    items = list(corpus(args.capture, "capture"))
    size = args.batch_size
    print(
        f"capture: {len(items):,} interactions, {size} per transaction,"
        f" {args.capture_rounds} round(s) ...",
        flush=True,
    )
    rounds: dict[str, list[CaptureRun]] = collections.defaultdict(list)
    checks: dict[str, Any] = {}
    for n in range(args.capture_rounds):
        for tagged in (False, True):
            label = "with tagging" if tagged else "without tagging"
            slug = f"{label.replace(' ', '-')}-{n}"
            base, ours = where / f"capture-by-hand-{slug}.db", where / f"capture-ours-{slug}.db"
            # Baseline first: ours gets the warmer machine, not the cooler one.
            rounds[f"by hand, {label}"].append(
                capture_by_hand(base, items, tagged, size, "execute")
            )
            rounds[f"ours, {label}"].append(capture_ours(ours, items, tagged, size))
            if n == 0:
                checks[label] = compare_capture(ours, base)
    floor = where / "capture-by-hand-executemany.db"
    rounds["by hand, executemany, without tagging"].append(
        capture_by_hand(floor, items, False, size, "executemany")
    )
    runs = {name: median_run(done, by_seconds) for name, done in rounds.items()}
    return {"runs": runs, "rounds": rounds, "checks": checks}


by_seconds = operator.attrgetter("seconds")


def round_slowdowns(rounds: dict[str, list[CaptureRun]], label: str) -> list[float]:
    """By hand's rows/s over ours, round by round (each pair ran one after the other)."""
    pairs = zip(rounds[f"by hand, {label}"], rounds[f"ours, {label}"], strict=True)
    return [base.per_s / ours.per_s for base, ours in pairs]


def paired_slowdown(rounds: dict[str, list[CaptureRun]], label: str) -> float:
    """The median of the rounds' slowdowns: each compares two runs made back to back."""
    return statistics.median(round_slowdowns(rounds, label))


def capture_table(runs: dict[str, CaptureRun], rounds: dict[str, list[CaptureRun]]) -> str:
    head = f"{'capture':<40}{'rows':>8}{'seconds':>9}{'rows/s':>9}{'slowdown':>10}"
    lines = [head, "-" * len(head)]
    for name, run in runs.items():
        slowdown = ""
        if name.startswith("ours"):
            slowdown = f"{paired_slowdown(rounds, name.removeprefix('ours, ')):.2f}x"
        lines.append(f"{name:<40}{run.rows:>8,}{run.seconds:>9.2f}{run.per_s:>9,.0f}{slowdown:>10}")
    return "\n".join(lines)


# --- 2. the search store and the hand-written baseline -------------------------------------


@functools.cache
def _worker_extractor() -> TagExtractor:
    return default_extractor()


def tagged_draft(item: Item) -> dict[str, Any]:
    """The draft with the tags the service's own extractor would give (in a worker process)."""
    return draft(item, _worker_extractor().extract(f"{item.subject}\n{item.body}", k=5))


def pooled_drafts(items: Iterable[Item], pool: Any) -> Iterator[dict[str, Any]]:
    """Drafts tagged by ``pool``, one window ahead of the capture: memory stays flat."""
    pending = None
    for window in batched(items, LOAD_WINDOW):
        ahead = pool.map_async(tagged_draft, window, chunksize=250)
        if pending is not None:
            yield from pending.get()
        pending = ahead
    if pending is not None:
        yield from pending.get()


class Progress:
    """Prints the rate of every ``PROGRESS_EVERY`` rows of the load."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.start = self.mark = time.perf_counter()
        self.done = 0
        self.rates: list[float] = []

    def __call__(self, report: cl.CaptureReport) -> None:
        if (
            report.seen // PROGRESS_EVERY == self.done // PROGRESS_EVERY
            and report.seen < self.total
        ):
            return
        now = time.perf_counter()
        rate = (report.seen - self.done) / (now - self.mark)
        self.rates.append(rate)
        print(
            f"  {report.seen:>9,} rows, {now - self.start:7.1f} s, {rate:,.0f} rows/s lately",
            flush=True,
        )
        self.done, self.mark = report.seen, now


def load_store(path: Path, n: int, mode: str, analyze: bool) -> dict[str, Any]:
    """``n`` interactions through ``capture_many`` with tagging, ``LOAD_BATCH`` per transaction."""
    world = seed_world(path)
    app = cl.ContactLogApp(SqliteStore(path))
    progress = Progress(n)
    pool = multiprocessing.Pool(1) if mode == "pooled" else None
    try:
        items = corpus(n, "load")
        drafts = pooled_drafts(items, pool) if pool else (draft(item, None) for item in items)
        t0 = time.perf_counter()
        report = app.interactions.capture_many(
            app.actor(world.staff_id), drafts, batch_size=LOAD_BATCH, progress=progress
        )
        seconds = time.perf_counter() - t0
    finally:
        app.close()
        if pool is not None:
            pool.close()
    analyze_s = finish_load(connect(path), analyze=analyze)
    assert report.captured == n, report.summary()
    return {
        "rows": n,
        "mode": mode,
        "seconds": seconds,
        "per_s": n / seconds,
        "rates_per_100k": progress.rates,
        "analyze_seconds": analyze_s,
        "file_mib": path.stat().st_size / 2**20,
    }


BASE_COLUMNS = """id, org_id, client_id, client_name, kind, direction, counterpart_name,
    counterpart_address, subject, body, occurred_at, source, source_ref, description, tags,
    captured_by, captured_at"""
BASE_SCHEMA = f"""
CREATE TABLE t (
    rid                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    org_id              TEXT NOT NULL,
    client_id           TEXT NOT NULL,
    client_name         TEXT NOT NULL,
    kind                TEXT NOT NULL,
    direction           TEXT NOT NULL,
    counterpart_name    TEXT NOT NULL,
    counterpart_address TEXT NOT NULL,
    subject             TEXT NOT NULL,
    body                TEXT NOT NULL,
    occurred_at         INTEGER NOT NULL,
    source              TEXT NOT NULL,
    source_ref          TEXT NOT NULL,
    description         TEXT NOT NULL,
    tags                TEXT NOT NULL,
    captured_by         TEXT NOT NULL,
    captured_at         INTEGER NOT NULL,
    UNIQUE (org_id, source, source_ref)
) STRICT;
INSERT INTO t ({BASE_COLUMNS}) SELECT {BASE_COLUMNS} FROM src.interactions ORDER BY source_ref;
CREATE INDEX t_by_time ON t (org_id, occurred_at);
CREATE VIRTUAL TABLE fts USING fts5 (
    description, tags, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO fts (rowid, description, tags) SELECT rid, description, tags FROM t;
"""


def build_baseline(store: Path, path: Path) -> dict[str, Any]:
    """The same rows in capture order, an index on time and an ordinary FTS5 table."""
    conn = loader_connection(path)
    conn.execute("ATTACH DATABASE ? AS src", (str(store),))
    t0 = time.perf_counter()
    conn.executescript(f"BEGIN; {BASE_SCHEMA} COMMIT;")
    seconds = time.perf_counter() - t0
    conn.execute("DETACH DATABASE src")
    finish_load(conn, analyze=False)
    return {"seconds": seconds, "file_mib": path.stat().st_size / 2**20}


# --- 3. search -----------------------------------------------------------------------------


@attrs.frozen
class Search:
    """A query as typed so far: the first word whole, the second cut short."""

    text: str
    first: str
    typed: str


def corpus_words(base: Path) -> list[str]:
    """The words (as our index cuts them) of the descriptions and tags of random interactions."""
    rng = random.Random(f"{SEED}:sample")
    words: list[str] = []
    with closing(sqlite3.connect(base)) as conn:
        (count,) = conn.execute("SELECT max(rid) FROM t").fetchone()
        for rid in rng.sample(range(1, count + 1), min(WORD_SAMPLE, count)):
            description, tags = conn.execute(
                "SELECT description, tags FROM t WHERE rid = ?", (rid,)
            ).fetchone()
            words += text_words(description)
            words += (word for tag in json.loads(tags) for word in text_words(tag))
    return words


def draw_searches(words: Sequence[str], n: int, stream: str) -> list[Search]:
    """``n`` two-word queries, each word drawn by its frequency in ``words``."""
    rng = random.Random(f"{SEED}:{stream}")
    out: list[Search] = []
    while len(out) < n:
        first, second = rng.choice(words), rng.choice(words)
        if first == second:
            continue
        typed = second[: rng.randint(1, len(second))]
        out.append(Search(f"{first} {typed}", first, typed))
    return out


@attrs.frozen
class Answer:
    ids: tuple[str, ...]
    has_next: bool | None = None
    total: int | None = None
    total_is_exact: bool | None = None


def page_answer(page: InteractionPage) -> Answer:
    return Answer(tuple(i.id for i in page.items), page.has_next, page.total, page.total_is_exact)


def fts_match(search: Search) -> str:
    return f'"{search.first}"* "{search.typed}"*'


FTS_PAGE = """
SELECT t.* FROM fts JOIN t ON t.rid = fts.rowid
 WHERE fts MATCH ? AND t.org_id = ?
 ORDER BY t.occurred_at DESC, t.id DESC LIMIT 10"""
LIKE_PAGE = """
SELECT * FROM t
 WHERE org_id = ? AND description LIKE ? AND description LIKE ?
 ORDER BY occurred_at DESC, id DESC LIMIT 10"""


class Contenders:
    """Ours on the store file, the hand-written queries on the baseline's."""

    def __init__(self, store: Path, base: Path) -> None:
        world = world_of(store)
        self.app = cl.ContactLogApp(SqliteStore(store))
        self.actor = self.app.actor(world.staff_id)
        self.org_id = world.org_id
        self.base = baseline_connection(base)
        self.queries: dict[str, InteractionQuery] = {}

    def ours(self, search: Search) -> InteractionPage:
        return self.app.interactions.list(self.actor, search=search.text, per_page=PER_PAGE)

    def query(self, search: Search) -> InteractionQuery:
        q = self.queries.get(search.text)
        if q is None:
            q = InteractionQuery(
                org_id=cl.OrgId(self.org_id),
                search=parse_search(search.text),
                timezone=TIMEZONE,
                per_page=PER_PAGE,
            )
            self.queries[search.text] = q
        return q

    def store_page(self, search: Search) -> InteractionPage:
        query = self.query(search)  # built beforehand: cached by the warm-up or the first side
        with self.app.store.unit_of_work(read_only=True) as uow:
            return uow.interactions.page(query)

    def fts(self, search: Search) -> list[sqlite3.Row]:
        return self.base.execute(FTS_PAGE, (fts_match(search), self.org_id)).fetchall()

    def like(self, search: Search) -> list[sqlite3.Row]:
        params = (self.org_id, f"%{search.first}%", f"%{search.typed}%")
        return self.base.execute(LIKE_PAGE, params).fetchall()

    def close(self) -> None:
        self.app.close()
        self.base.close()


def as_answer(result: Any) -> Answer:
    if isinstance(result, InteractionPage):
        return page_answer(result)
    return Answer(tuple(row["id"] for row in result))


def time_sides(
    sides: dict[str, Callable[[Search], Any]], searches: Sequence[Search], warm: Sequence[Search]
) -> tuple[dict[str, list[int]], dict[str, list[Answer]]]:
    """Each search on each side, timed alone, in every order in turn.

    Every order (not a rotation): ours' two sides share a connection and its
    page cache, so whichever runs second is helped; each goes second as often.
    """
    for search in warm:
        for call in sides.values():
            call(search)
    orders = list(itertools.permutations(sides))
    times: dict[str, list[int]] = {name: [] for name in sides}
    answers: dict[str, list[Answer]] = {name: [] for name in sides}
    clock = time.perf_counter_ns
    gc.collect()  # collected first, not disabled: the collector's cost is part of the path
    for i, search in enumerate(searches):
        for name in orders[i % len(orders)]:
            t0 = clock()
            result = sides[name](search)
            times[name].append(clock() - t0)
            answers[name].append(as_answer(result))
    return times, answers


STATS = ("n", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms")


def search_table(stats: dict[str, dict[str, float]], reference: str) -> str:
    head = (
        f"{'search (first page of 10)':<40}{'n':>5}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}"
        f"{'x p50':>8}{'x p99':>8}"
    )
    lines = [head + "   (ms; x = / " + reference + ")", "-" * len(head)]
    ref = stats[reference]
    for name, s in stats.items():
        lines.append(
            f"{name:<40}{s['n']:>5}{s['p50_ms']:>9.2f}{s['p90_ms']:>9.2f}{s['p99_ms']:>9.2f}"
            f"{s['max_ms']:>9.2f}{s['p50_ms'] / ref['p50_ms']:>7.2f}x"
            f"{s['p99_ms'] / ref['p99_ms']:>7.2f}x"
        )
    return "\n".join(lines)


# --- checking the answers ------------------------------------------------------------------


def reference_answers(store: Path, org_id: str, searches: Sequence[Search]) -> list[Answer]:
    """Each search's first page by brute force over every stored row (the domain's rule)."""
    terms = [tuple(f" {w}" for w in parse_search(s.text).words) for s in searches]
    tops: list[list[tuple[int, str]]] = [[] for _ in searches]
    counts = [0] * len(searches)
    with closing(sqlite3.connect(store)) as conn:
        conn.row_factory = sqlite3.Row
        for row in conn.execute("SELECT * FROM interactions"):
            if row["org_id"] != org_id:
                continue
            # " word" in " w1 w2 ...": the term starts one of the row's words.
            joined = " " + " ".join(searchable_words(interaction_from_row(row), TIMEZONE))
            for k, wanted in enumerate(terms):
                if all(term in joined for term in wanted):
                    counts[k] += 1
                    key = (row["occurred_at"], row["id"])
                    if len(tops[k]) <= PER_PAGE:
                        heapq.heappush(tops[k], key)
                    else:
                        heapq.heappushpop(tops[k], key)
    return [
        Answer(
            ids=tuple(i for _, i in sorted(top, reverse=True)[:PER_PAGE]),
            has_next=count > PER_PAGE,
            total=min(count, MAX_COUNT),
            total_is_exact=count <= MAX_COUNT,
        )
        for top, count in zip(tops, counts, strict=True)
    ]


def check_searches(
    store: Path, searches: Sequence[Search], answers: Sequence[Answer], picked: Sequence[int]
) -> dict[str, Any]:
    t0 = time.perf_counter()
    want = reference_answers(store, world_of(store).org_id, [searches[i] for i in picked])
    seconds = time.perf_counter() - t0
    differ = [
        {"query": searches[i].text, "ours": attrs.asdict(answers[i]), "reference": attrs.asdict(w)}
        for i, w in zip(picked, want, strict=True)
        if answers[i] != w
    ]
    totals = [w.total if w.total_is_exact else f">{MAX_COUNT}" for w in want]
    return {"checked": len(picked), "differ": differ, "seconds": seconds, "totals": totals}


# --- query plans ---------------------------------------------------------------------------


def explain_ours(c: Contenders, store: Path, search: Search) -> list[dict[str, Any]]:
    """The statements of ours for ``search``, each with its own time and query plan."""
    sqlite_store = c.app.store
    assert isinstance(sqlite_store, SqliteStore)
    with traced(sqlite_store._connection()) as seen:  # private, but this is a benchmark
        c.ours(search)
    # FTS5 traces its own statements on its shadow tables as "-- ...": counted, not explained.
    inner = collections.Counter(" ".join(s.split())[:90] for s in seen if s.startswith("--"))
    with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as probe:
        statements = [sql for sql in seen if not sql.startswith("--")]
        out = explain_each(probe, statements, skipped=("PRAGMA",))
        out.extend({"sql": sql, "times": n} for sql, n in inner.most_common())
        out.extend(word_costs(probe, c.org_id, search))
    return out


WORD_ALONE = (
    "SELECT rowid FROM interaction_search WHERE interaction_search MATCH ?"
    " ORDER BY rowid DESC LIMIT 11"
)


def word_costs(probe: sqlite3.Connection, org_id: str, search: Search) -> list[dict[str, Any]]:
    """Each query word alone in our index, as an FTS5 prefix query and as a whole term.

    FTS5 answers a prefix without a prefix index of its length by merging the
    postings of every term it starts before returning the first row; a whole
    term is read lazily, newest first. The gap shows what a query plan cannot.
    """
    token = f'"{org_token(org_id)}"'
    out = []
    for word in parse_search(search.text).words:
        prefix = statement_ms(probe, WORD_ALONE, (f'{token} AND "{word}"*',), runs=3)
        whole = statement_ms(probe, WORD_ALONE, (f'{token} AND "{word}"',), runs=3)
        out.append({"word": word, "prefix_ms": prefix, "whole_ms": whole})
    return out


def index_facts(store: Path, base: Path) -> dict[str, dict[str, float]]:
    """The size of each FTS5 index's data (content aside) and its number of segments."""
    out = {}
    for name, path, table in (("ours", store, "interaction_search"), ("by hand", base, "fts")):
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            (segments,) = conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()
            (size,) = conn.execute(f"SELECT sum(length(block)) FROM {table}_data").fetchone()
        out[name] = {"segments": segments, "data_mib": size / 2**20}
    return out


def print_explained(explained: list[dict[str, Any]]) -> None:
    for step in explained:
        if "word" in step:
            print(
                f"  word {step['word']!r} alone (LIMIT 11): as an FTS5 prefix query"
                f" {step['prefix_ms']:.1f} ms, as a whole term {step['whole_ms']:.1f} ms"
            )
            continue
        if "times" in step:
            print(f"  {step['times']:>5}x FTS5 inside: {step['sql']}")
            continue
        print(f"  {step['ms']:8.2f} ms  {step['sql'][:220]}")
        for line in step["plan"]:
            print(f"              {line}")


# --- main ----------------------------------------------------------------------------------


UNDER_TEST = (
    "application/interactions.py",
    "adapters/sqlite/interactions.py",
    "adapters/sqlite/interaction_rows.py",
    "adapters/sqlite/migrations/0007_interactions.sql",
    "adapters/sqlite/migrations/0009_interactions_in_capture_order.sql",
    "domain/interactions/search.py",
)


def code_under_test() -> dict[str, str]:
    """A short hash of each file this measures: others change the tree while it runs."""
    root = Path(cl.__file__).resolve().parent
    return {
        name: hashlib.sha256((root / name).read_bytes()).hexdigest()[:12] for name in UNDER_TEST
    }


def choose_load(args: argparse.Namespace, runs: dict[str, CaptureRun]) -> tuple[str, float]:
    """``--load``, or for ``auto`` the in-process capture unless its estimate is over budget."""
    estimate = args.rows / runs["ours, with tagging"].per_s
    if args.load != "auto":
        return args.load, estimate
    return ("capture" if estimate <= args.load_budget * 60 else "pooled"), estimate


def prepare_store(
    args: argparse.Namespace, where: Path, runs: dict[str, CaptureRun]
) -> tuple[Path, Path, dict[str, Any]]:
    """The loaded store and its baseline: reused from ``--reuse``, or made now."""
    if args.reuse is not None:
        store, base = args.reuse / "store.db", args.reuse / "base.db"
        print(f"reusing {store} and {base} (no load)", flush=True)
        return store, base, {"reused": str(args.reuse)}
    store, base = where / "store.db", where / "base.db"
    mode, estimate = choose_load(args, runs)
    how = {
        "capture": "capture_many with the extractor in-process",
        "pooled": "capture_many, the extractor's tags computed in a worker process",
    }[mode]
    print(
        f"loading {args.rows:,} interactions into {store}: {how}, {LOAD_BATCH:,} per transaction"
        f" (in-process estimate {estimate / 60:.1f} min, budget {args.load_budget:g} min) ...",
        flush=True,
    )
    load = load_store(store, args.rows, mode, args.analyze)
    load["how"] = how
    load["estimate_in_process_s"] = estimate
    print(
        f"loaded {load['rows']:,} in {load['seconds']:.0f} s ({load['per_s']:,.0f} rows/s),"
        f" file {load['file_mib']:,.0f} MiB; building the hand-written baseline ...",
        flush=True,
    )
    load["baseline"] = build_baseline(store, base)
    print(
        f"baseline built in {load['baseline']['seconds']:.0f} s,"
        f" file {load['baseline']['file_mib']:,.0f} MiB",
        flush=True,
    )
    return store, base, load


def prewarm(paths: Sequence[Path]) -> float:
    """Read each file once, so that both sides' searches start from the OS page cache.

    Some machines (VMs with memory reclaim) drop idle file pages within
    minutes: without this, a reused store answers its first searches from disk.
    """
    t0 = time.perf_counter()
    for path in paths:
        with path.open("rb") as f:
            while f.read(8 << 20):
                pass
    return time.perf_counter() - t0


def search_phase(store: Path, base: Path, args: argparse.Namespace) -> dict[str, Any]:
    print(f"read both files once to warm the OS page cache ({prewarm([store, base]):.0f} s)")
    words = corpus_words(base)
    searches = draw_searches(words, args.queries, "queries")
    warm = draw_searches(words, args.warmup, "warm-up")
    c = Contenders(store, base)
    try:
        for search in [*warm, *searches]:
            c.query(search)
        print(
            f"searching: {len(searches)} queries (load average {common.load_average()}) ...",
            flush=True,
        )
        sides = {
            "ours: app.interactions.list": c.ours,
            "ours: uow.interactions.page": c.store_page,
            "by hand: FTS5 MATCH ... ORDER BY": c.fts,
        }
        times, answers = time_sides(sides, searches, warm)
        if args.like_queries:
            likes = searches[: args.like_queries]
            like = {"by hand: LIKE '%w1%' AND '%w2%'": c.like}
            times.update(time_sides(like, likes, warm[:2])[0])
        load_after = common.load_average()
        ours_ns = times["ours: app.interactions.list"]
        slowest = sorted(range(len(searches)), key=ours_ns.__getitem__, reverse=True)[:SLOWEST]
        explained = {searches[i].text: explain_ours(c, store, searches[i]) for i in slowest[:3]}
        example = searches[slowest[0]]
        plans = {
            "by hand FTS5": plan(c.base, FTS_PAGE, (fts_match(example), c.org_id)),
            "by hand LIKE": plan(c.base, LIKE_PAGE, (c.org_id, "%a%", "%b%")),
        }
    finally:
        c.close()
    ours = answers["ours: app.interactions.list"]
    fts = answers["by hand: FTS5 MATCH ... ORDER BY"]
    picked = sorted(set(range(min(args.check, len(searches)))) | set(slowest))
    print(f"checking {len(picked)} queries by brute force over every row ...", flush=True)
    return {
        "searches": searches,
        "times": times,
        "stats": {name: stats_ms(ns, STATS) for name, ns in times.items()},
        "slowest": [
            {"query": searches[i].text, "ms": ours_ns[i] / 1e6, "total": ours[i].total}
            for i in slowest
        ],
        "explained": explained,
        "plans": plans,
        "index": index_facts(store, base),
        "fts_agree": sum(a.ids == b.ids for a, b in zip(ours, fts, strict=True)),
        "check": check_searches(store, searches, ours, picked),
        "load_average": load_after,
    }


def print_search(result: dict[str, Any], rows: int) -> None:
    stats = result["stats"]
    print(f"\nsearch at {rows:,} interactions, newest first (load average after: "
          f"{result['load_average']})")  # fmt: skip
    print(search_table(stats, "by hand: FTS5 MATCH ... ORDER BY"))
    n = len(result["searches"])
    print(
        "ours' first page = the brute-force reference:"
        f" {result['check']['checked'] - len(result['check']['differ'])}/"
        f"{result['check']['checked']} queries ({result['check']['seconds']:.0f} s)"
        + (" -> ok" if not result["check"]["differ"] else " -> MISMATCH")
    )
    for d in result["check"]["differ"][:3]:
        print(f"   {d}")
    print(
        f"ours' first page ids = the FTS5 baseline's: {result['fts_agree']}/{n}"
        " (information: the baseline does not index ids and dates)"
    )
    print(
        "FTS5 index data (no content): "
        + ", ".join(
            f"{name} {f['data_mib']:,.0f} MiB in {f['segments']} segments"
            for name, f in result["index"].items()
        )
        + " (ours: rowids are time keys and prefix indexes are kept)"
    )
    print("ours' slowest queries (app.interactions.list):")
    for s in result["slowest"]:
        print(f"  {s['ms']:8.2f} ms  {s['query']!r}  total {s['total']}")
    print("=== ours' statements for its slowest queries (own time, EXPLAIN QUERY PLAN) ===")
    for query, steps in result["explained"].items():
        print(f"{query!r}:")
        print_explained(steps)
    for name, lines in result["plans"].items():
        print(f"=== {name}: EXPLAIN QUERY PLAN ===")
        for line in lines:
            print(f"  {line}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument("--capture", type=int, default=20_000, help="interactions per capture run")
    parser.add_argument(
        "--capture-rounds",
        type=int,
        default=3,
        help="capture runs per side, in turn; the median of each side is reported",
    )
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help="captures per transaction"
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="interactions to search")
    parser.add_argument("--queries", type=int, default=200, help="timed searches")
    parser.add_argument("--like-queries", type=int, default=20, help="of those, run with LIKE")
    parser.add_argument("--warmup", type=int, default=20, help="untimed searches first")
    parser.add_argument("--check", type=int, default=30, help="searches checked by brute force")
    parser.add_argument(
        "--load", choices=("auto", "capture", "pooled"), default="auto", help="how to load"
    )
    parser.add_argument(
        "--load-budget", type=float, default=10.0, help="minutes before auto pools the tagging"
    )
    common.add_dir(parser)
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        help="a folder holding a previous run's store.db and base.db",
    )
    common.add_out(parser, "interactions")
    common.add_quick(parser, "small sizes, for a CI smoke run")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE after the load")
    args = parser.parse_args(argv)
    if args.quick:
        args.capture, args.rows, args.queries = 2_000, 20_000, 50
        args.capture_rounds = 1
        args.like_queries, args.warmup, args.check = 10, 5, 50
    if (
        min(args.capture, args.capture_rounds, args.rows, args.queries) < 1
        or not 1 <= args.batch_size <= MAX_BATCH
    ):
        parser.error(f"sizes must be >= 1, --batch-size 1 to {MAX_BATCH}")
    if min(args.like_queries, args.warmup, args.check) < 0:
        parser.error("--like-queries, --warmup and --check must be >= 0")
    return args


@attrs.frozen
class Outcome:
    """What the three steps found."""

    captured: dict[str, Any]  # capture_phase's runs, rounds and checks
    load: dict[str, Any]  # prepare_store's facts
    search: dict[str, Any]  # search_phase's figures and checks
    rows: int  # interactions in the searched store

    @property
    def capture_good(self) -> bool:
        return all(capture_ok(check) for check in self.captured["checks"].values())

    @property
    def checks_ok(self) -> bool:
        return self.capture_good and not self.search["check"]["differ"]


def print_capture(captured: dict[str, Any]) -> None:
    """The capture's settings, table and per-round slowdowns, then its checks."""
    runs: dict[str, CaptureRun] = captured["runs"]
    common.print_pragmas({name: run.pragmas for name, run in runs.items()})
    print(capture_table(runs, captured["rounds"]))
    for label in ("without tagging", "with tagging"):
        spread = " ".join(f"{x:.2f}x" for x in round_slowdowns(captured["rounds"], label))
        print(f"slowdown {label}, round by round: {spread}")
    print(
        "slowdown = by hand (per-row execute, the fair one: it must know which rows are new)"
        " rows/s / ours (> 1 = ours slower); by hand also names with naming.describe and"
        " tags with the same extractor"
    )
    for label, check in captured["checks"].items():
        counts = "; ".join(
            f"{side} {common.listed(c, ',.0f')}" for side, c in check["counts"].items()
        )
        print(
            f"check ({label}): rows only in ours {check['rows only in ours']}, only by hand"
            f" {check['rows only in by hand']}; {counts}"
            + (" -> ok" if capture_ok(check) else " -> MISMATCH")
        )


def run_steps(where: Path, args: argparse.Namespace) -> Outcome:
    """1. capture on both sides; 2. the search store and its baseline; 3. search them."""
    captured = capture_phase(where, args)
    print_capture(captured)
    store, base, load = prepare_store(args, where, captured["runs"])
    result = search_phase(store, base, args)
    return Outcome(captured, load, result, world_rows(store))


def print_summary(code: dict[str, str], outcome: Outcome) -> None:
    """Each target with its verdict, after a note if the code measured changed meanwhile."""
    rounds, runs, load = outcome.captured["rounds"], outcome.captured["runs"], outcome.load
    print("\n=== summary ===")
    changed = [name for name, digest in code_under_test().items() if code[name] != digest]
    if changed:
        print(
            f"NOTE: changed during the run: {', '.join(changed)}. Modules were imported at the"
            " start, so the figures are for the hashes printed first; migrations are read"
            " whenever a store is opened."
        )
    if "seconds" in load:
        print(
            f"load of {load['rows']:,} interactions: {load['seconds'] / 60:.1f} min"
            f" ({load['per_s']:,.0f} rows/s) via {load['how']}"
        )
    slowdown = paired_slowdown(rounds, "without tagging")
    spread = round_slowdowns(rounds, "without tagging")
    print(
        f"capture without tags: ours {runs['ours, without tagging'].per_s:,.0f} rows/s,"
        f" ratio {slowdown:.2f}x, the median of the rounds' (from {min(spread):.2f}x to"
        f" {max(spread):.2f}x; target <= {TARGET_CAPTURE}x):"
        f" {common.verdict(slowdown <= TARGET_CAPTURE, 'met', 'MISSED')}"
    )
    print(
        f"capture with tags: ours {runs['ours, with tagging'].per_s:,.0f} rows/s,"
        f" ratio {paired_slowdown(rounds, 'with tagging'):.2f}x (no target)"
    )
    p99 = outcome.search["stats"]["ours: app.interactions.list"]["p99_ms"]
    print(
        f"search p99 {p99:.1f} ms at {outcome.rows:,} (target < {TARGET_P99_MS:.0f} ms):"
        f" {common.verdict(p99 < TARGET_P99_MS, 'met', 'MISSED')}"
    )


def report_of(
    args: argparse.Namespace, facts: dict[str, Any], code: dict[str, str], outcome: Outcome
) -> dict[str, Any]:
    rounds, runs, result = outcome.captured["rounds"], outcome.captured["runs"], outcome.search
    slowdown = paired_slowdown(rounds, "without tagging")
    p99 = result["stats"]["ours: app.interactions.list"]["p99_ms"]
    return {
        "machine": facts,
        "code_under_test": {"at_start": code, "at_end": code_under_test()},
        "flags": common.flags_of(args),
        "capture": {name: {**attrs.asdict(run), "per_s": run.per_s} for name, run in runs.items()},
        "capture_rounds": {name: [run.seconds for run in done] for name, done in rounds.items()},
        "capture_checks": outcome.captured["checks"],
        "load": outcome.load,
        "search": {
            "rows": outcome.rows,
            **{key: result[key] for key in SEARCH_REPORTED},
            "queries": [s.text for s in result["searches"]],
        },
        "ratios": {
            "capture_without_tags": slowdown,
            "capture_with_tags": paired_slowdown(rounds, "with tagging"),
        },
        "meets_targets": {"capture": slowdown <= TARGET_CAPTURE, "search_p99": p99 < TARGET_P99_MS},
        "checks_ok": outcome.checks_ok,
    }


# What of search_phase's result the results file keeps, in this order.
SEARCH_REPORTED = ("stats", "slowest", "explained", "plans", "index", "fts_agree", "check")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    facts = common.machine()
    print(
        common.machine_line(
            facts, f"load average {common.load_average()}", common.files_in(args.dir)
        )
    )
    code = code_under_test()
    print(f"code under test: {common.listed(code)}")
    with common.workdir(args.dir, "bench-interactions-") as where:
        outcome = run_steps(where, args)
    print_search(outcome.search, outcome.rows)
    print_summary(code, outcome)
    common.write_report(args.out, report_of(args, facts, code, outcome))
    if not outcome.checks_ok:
        print("CHECKS FAILED: the sides do not agree, or ours differs from the reference")
    return 0 if outcome.checks_ok else 1


def world_rows(store: Path) -> int:
    with closing(sqlite3.connect(store)) as conn:
        return int(conn.execute("SELECT count(*) FROM interactions").fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
