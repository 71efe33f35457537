"""What the made-up data sets share: the seed, time units, staff names and weighted draws."""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence

import contactlog_core as cl
from contactlog_core.domain.shared.text import fold, name_key
from contactlog_core.instants import to_micros as micros_of

__all__ = [
    "DAY_US",
    "HOUR_US",
    "SECOND_US",
    "SEED",
    "STAFF_NAMES",
    "add_staff",
    "folded",
    "keyed",
    "micros_of",
    "pick",
]

SEED = 20261102
SECOND_US = 10**6
HOUR_US = 3_600 * SECOND_US
DAY_US = 24 * HOUR_US

STAFF_NAMES = (
    "Alice Smith", "Élodie Dubois", "José Álvarez", "Zoë Brontë", "Søren Kierkegaard",
    "Anne-Marie O'Neil", "Ngozi Okonkwo", "François Lefèvre", "Jürgen Müller", "Chloé Martin",
    "Łukasz Nowak", "Siobhán Ní Bhriain", "Mohammed Al-Farsi", "Priya Patel", "Wei Zhang",
    "Björn Andersson", "Inés García", "Marta Kowalska", "Oliver Brown", "Amelia Jones",
    "Noah Williams", "Isla Taylor", "Harry Davies", "Ava Evans", "Jack Thomas",
    "Mia Roberts", "George Johnson", "Emily Walker", "Leo Wright", "Grace Robinson",
    "Aoife Ó Súilleabháin", "Renée Château", "Dvořák Antonín", "Çağla Şahin", "Niamh Kelly",
    "Ahmed Hassan", "Fatima Begum", "Ravi Sharma", "Sophie Green", "Ella Hall",
    "Thomas Wood", "Ruby Clarke", "Oscar Hughes", "Lily Edwards", "Charlie Turner",
    "Freya Hill", "Alfie Moore", "Poppy Cooper", "Hélène Côté", "Ümit Öztürk",
)  # fmt: skip

# A loader computes the same few keys for a million rows: each is worked out once.
keyed = functools.cache(name_key)
folded = functools.cache(fold)


def add_staff(app: cl.ContactLogApp, org_id: str) -> list[str]:
    """``STAFF_NAMES`` as staff of ``org_id``, by the library; their ids, in the names' order.

    Every tenth is a school admin, the others office admins.
    """
    return [
        app.staff.add(org_id, name=name, role="school_admin" if i % 10 == 0 else "office_admin").id
        for i, name in enumerate(STAFF_NAMES)
    ]


def pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    """One value, drawn by the weights beside the values (they sum to 1)."""
    x, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if x < total:
            return value
    return weighted[-1][0]
