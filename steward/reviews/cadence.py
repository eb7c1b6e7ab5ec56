"""How often each relationship should be reviewed: a registry the sides fill in.

The reviews engine does not know a side's governance; a side registers a provider that answers,
for every relationship it governs, the number of days between reviews. The supply side reads it
from the vendor's strategy, falling back to its segment's playbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# A provider returns (relationship id, days between reviews) pairs, read in one query.
CadenceProvider = Callable[[], Iterable[tuple[int, int]]]

_providers: dict[str, CadenceProvider] = {}


def register_review_cadence(name: str, provider: CadenceProvider) -> None:
    """Add (or replace, under the same name) a source of review cadences."""
    _providers[name] = provider


def review_cadences() -> dict[int, int]:
    """Days between reviews per relationship id; the shortest wins when several sources answer."""
    cadences: dict[int, int] = {}
    for provider in _providers.values():
        for relationship_id, days in provider():
            if days and days > 0:
                known = cadences.get(relationship_id)
                cadences[relationship_id] = days if known is None else min(known, days)
    return cadences
