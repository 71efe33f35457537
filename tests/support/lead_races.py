"""Processes racing to claim the same leads in one SQLite file, while another one sweeps.

Shared by the small race test (``nox -s tests``) and the torture run. The
racers' clock stands eight days past the leads' last touch, so every lead is
available to all (aged lazily); a sweeper process writes that status at the
same time. Afterwards: one winner per lead, every loser told who won, and
neither the sweep nor a loser undid a claim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pendulum

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from tests.support.sqlite_torture import (
    TIMEOUT,
    Orders,
    Outcome,
    Report,
    describe,
    hire_crew,
    outcome_of,
    run_workers,
    summary,
)

ADDED = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
RACE = ADDED.add(days=9)
SWEEPER = -1  # the worker number that sweeps instead of claiming


def claim_race_worker(orders: Orders, start: Barrier, reports: Queue[Report]) -> None:
    """Claim every lead in turn (or sweep, for the sweeper), released together each time."""
    try:
        store = SqliteStore(orders.path)
        try:
            app = cl.ContactLogApp(store, clock=cl.ManualClock(RACE))
            play = _sweep if orders.reopener == "sweep" else _claim
            outcomes = play(app, orders, start)
        finally:
            store.close()
        reports.put(Report(orders.worker, tuple(outcomes)))
    except BaseException as e:  # reported to the parent, which fails the test
        reports.put(Report(orders.worker, crash=describe(e)))
        raise


def _claim(app: cl.ContactLogApp, orders: Orders, start: Barrier) -> list[Outcome]:
    (actor,) = [app.actor(staff_id) for staff_id in orders.actors]
    outcomes = []
    for seq, lead_id in enumerate(orders.log_ids):
        start.wait(timeout=TIMEOUT)
        base = Outcome(orders.worker, seq, "claim", lead_id, actor.staff_id)
        outcomes.append(outcome_of(base, partial(app.leads.claim, actor, lead_id)))  # type: ignore[arg-type]
    return outcomes


def _sweep(app: cl.ContactLogApp, orders: Orders, start: Barrier) -> list[Outcome]:
    outcomes = []
    for seq, _ in enumerate(orders.log_ids):
        start.wait(timeout=TIMEOUT)
        base = Outcome(orders.worker, seq, "sweep", "", "")
        outcomes.append(outcome_of(base, lambda: _swept(app)))
    return outcomes


def _swept(app: cl.ContactLogApp) -> None:
    app.leads.sweep(batch_size=2)


def race_to_claim(tmp: Path, *, racers: int, leads: int, seed: int) -> Counter[str]:
    """``racers`` processes claim each of ``leads`` available leads while one more sweeps."""
    print(f"seed={seed} racers={racers} leads={leads}")
    path = tmp / "contactlog.db"
    clock = cl.ManualClock(ADDED)
    app = cl.ContactLogApp(SqliteStore(path), clock=clock)
    try:
        crew = hire_crew(app, office_admins=racers + 1, school_admins=1)
        owner = app.actor(crew.office_admins[-1])
        ids = tuple(app.leads.add(owner, name=f"Lead {n}").id for n in range(leads))
        orders = [
            Orders(str(path), i, seed, (staff_id,), "claim", ids, len(ids))
            for i, staff_id in enumerate(crew.office_admins[:racers])
        ]
        orders.append(Orders(str(path), SWEEPER, seed, (), "sweep", ids, len(ids)))
        outcomes = run_workers(claim_race_worker, orders)
        clock.set(RACE)
        winners = check_claim_races(app, owner, ids, outcomes)
    finally:
        app.close()
    print(summary(outcomes))
    print("wins by racer:", dict(winners))
    return winners


def check_claim_races(
    app: cl.ContactLogApp, viewer: cl.Actor, ids: tuple[str, ...], outcomes: list[Outcome]
) -> Counter[str]:
    """One winner per lead, losers told the winner, the claim kept whatever the sweep did."""
    sweeps = [o for o in outcomes if o.command == "sweep"]
    assert sweeps
    assert all(o.ok for o in sweeps), [o for o in sweeps if not o.ok]
    by_lead: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.command == "claim":
            by_lead[outcome.log_id].append(outcome)
    winners: Counter[str] = Counter()
    for lead_id in ids:
        racers = by_lead[lead_id]
        wins = [o for o in racers if o.ok]
        assert len(wins) == 1, f"lead {lead_id}: {len(wins)} winners among {racers}"
        (win,) = wins
        for loser in (o for o in racers if not o.ok):
            assert loser.library_error, loser
            assert loser.error in {"LockedByOther", "ConcurrencyConflict"}, loser
            if loser.error == "LockedByOther":
                assert loser.named_owner == win.actor, loser
        lead = app.leads.get(viewer, lead_id)
        assert (lead.owner, lead.last_touch_kind) == (win.actor, cl.TouchKind.CLAIM), lead
        assert lead.status is cl.LeadStatus.NOT_SCHEDULED, lead
        trail = list(app.audit.events(viewer, entity_id=lead_id, limit=100))
        claims = [e for e in trail if e.command == "claim"]
        assert [e.actor for e in claims] == [win.actor], trail
        winners[win.actor] += 1
    return winners
