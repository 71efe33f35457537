"""Differential test: for random histories and random questions, SQLite answers what memory answers.

The memory store answers with the domain's reference rules (``domain.logs.query_rules``);
the SQLite store answers in SQL. Same ids, same clock, same calls: same rows, same order.
"""

from __future__ import annotations

import itertools
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import contactlog_core as cl
from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.domain.logs.queries import FollowUpSort, LogSort
from tests.support.sizes import examples

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
NAMES = ["Alice Smith", "alan élan", "ALICE Émile", "Bob O'Brien-Lee", "Zoë Zed", "Ann"]
SUBJECTS = [
    "bus route",
    "Bus Route",
    "École trip",
    "ecole trip",
    "fees",
    "Fees",
    "lunch",
    "Ärger",
    "zz",
]


class Twin:
    """The same app twice, on memory and on SQLite; every call goes to both and must agree."""

    def __init__(self) -> None:
        self.apps = [self._app(MemoryStore()), self._app(SqliteStore(":memory:"))]
        orgs = [app.organisations.create("Northfield") for app in self.apps]
        assert orgs[0] == orgs[1]
        self.staff: list[cl.Actor] = []
        for i, name in enumerate(NAMES):
            role = "school_admin" if i % 3 == 2 else "office_admin"
            added = [app.staff.add(orgs[0].id, name=name, role=role) for app in self.apps]
            self.staff.append(self.apps[0].actor(added[0].id))
        self.logs: list[str] = []

    @staticmethod
    def _app(store: Any) -> cl.ContactLogApp:
        counter = itertools.count(1)
        clock = cl.ManualClock(START, tick=pendulum.duration(minutes=7))
        return cl.ContactLogApp(store, clock=clock, ids=lambda: f"id{next(counter):05d}")

    def both(self, call: Any) -> Any:
        outcomes = []
        for app in self.apps:
            try:
                outcomes.append(call(app))
            except cl.ContactLogError as e:
                outcomes.append(type(e))
        assert outcomes[0] == outcomes[1]
        return outcomes[0]

    def advance(self, days: int) -> None:
        for app in self.apps:
            assert isinstance(app.clock, cl.ManualClock)
            app.clock.advance(days=days)


actions = st.one_of(
    st.tuples(
        st.just("record"),
        st.integers(0, 5),
        st.sampled_from(SUBJECTS),
        st.integers(0, 9),
        st.sampled_from(cl.Priority),
    ),
    st.tuples(
        st.sampled_from(["take", "surrender", "complete", "force_take", "reopen"]),
        st.integers(0, 5),
        st.integers(0, 30),
    ),
    st.tuples(st.just("assign"), st.integers(0, 5), st.integers(0, 30), st.integers(0, 5)),
    st.tuples(
        st.just("follow_up"),
        st.integers(0, 5),
        st.integers(0, 30),
        st.integers(1, 9),
        st.integers(0, 5),
    ),
    st.tuples(st.just("done"), st.integers(0, 5), st.integers(0, 30)),
    st.tuples(st.just("wait"), st.integers(1, 4)),
)


def play(twin: Twin, action: tuple[Any, ...]) -> None:
    kind = action[0]
    if kind == "wait":
        twin.advance(action[1])
        return
    actor = twin.staff[action[1]]
    if kind == "record":
        _, _, subject, due_days, priority = action
        follow_up = cl.FollowUpDraft(due_at=START.add(days=due_days)) if due_days else None
        log = twin.both(
            lambda app: app.logs.record(
                actor, subject=subject, priority=priority, follow_up=follow_up
            )
        )
        if isinstance(log, cl.ContactLog):
            twin.logs.append(log.id)
        return
    if not twin.logs:
        return
    log_id = twin.logs[action[2] % len(twin.logs)]
    if kind == "assign":
        to = twin.staff[action[3]].staff_id
        twin.both(lambda app: app.logs.assign(actor, log_id, to))
    elif kind == "follow_up":
        who = twin.staff[action[4]].staff_id
        draft = cl.FollowUpDraft(due_at=START.add(days=action[3]), assigned_to=who)
        twin.both(lambda app: app.logs.add_follow_up(actor, log_id, draft))
    elif kind == "done":
        log = twin.apps[0].logs.get(actor, log_id)
        if log.follow_ups:
            fu_id = log.follow_ups[0].id
            twin.both(lambda app: app.logs.complete_follow_up(actor, log_id, fu_id))
    else:
        twin.both(lambda app: getattr(app.logs, kind)(actor, log_id))


def sorts(keys: type[Any]) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.sampled_from([k.value for k in keys]), min_size=1, max_size=3, unique=True
    ).flatmap(lambda names: st.tuples(*[st.sampled_from([n, "-" + n]) for n in names]).map(list))


log_questions = st.fixed_dictionaries(
    {},
    optional={
        "status": st.lists(st.sampled_from(cl.LogStatus), max_size=3, unique=True),
        "owner_name": st.sampled_from(
            ["a", "al", "ALI", "ém", "emile", "o", "b", "zo", "x", "s", "al s", ""]
        ),
        "sort": sorts(LogSort),
        "page": st.integers(1, 4),
        "per_page": st.integers(1, 7),
    },
)
follow_up_questions = st.fixed_dictionaries(
    {},
    optional={
        "mine": st.booleans(),
        "overdue_only": st.booleans(),
        "sort": sorts(FollowUpSort),
        "page": st.integers(1, 3),
        "per_page": st.integers(1, 5),
    },
)


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(
    history=st.lists(actions, max_size=40),
    log_asks=st.lists(st.tuples(st.integers(0, 5), log_questions), min_size=1, max_size=6),
    follow_up_asks=st.lists(
        st.tuples(st.integers(0, 5), follow_up_questions), min_size=1, max_size=4
    ),
)
def test_sqlite_answers_every_question_as_the_memory_store_does(
    history: list[tuple[Any, ...]],
    log_asks: list[tuple[int, dict[str, Any]]],
    follow_up_asks: list[tuple[int, dict[str, Any]]],
) -> None:
    twin = Twin()
    for action in history:
        play(twin, action)
    for who, question in log_asks:
        actor = twin.staff[who]
        twin.both(lambda app, a=actor, q=question: app.logs.list(a, **q))
        twin.both(lambda app, a=actor: app.logs.badges(a))
    for who, question in follow_up_asks:
        actor = twin.staff[who]
        twin.both(lambda app, a=actor, q=question: app.logs.follow_ups(a, **q))
