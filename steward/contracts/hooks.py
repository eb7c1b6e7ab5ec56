"""Listeners higher engines register to hear about contract events, without contracts
importing them (the issue engine opens an issue for every SLA breach).

Listeners run after the transaction that opened the breach commits, so they see it saved; a
failing listener is logged and does not undo the breach.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from steward.contracts.models import SlaBreach

BreachListener = Callable[["SlaBreach"], object]
_breach_listeners: list[BreachListener] = []


def register_breach_listener(listener: BreachListener) -> None:
    """Call ``listener(breach)`` whenever a breach is opened (or opened again); once each."""
    if listener not in _breach_listeners:
        _breach_listeners.append(listener)


def breach_listeners() -> list[BreachListener]:
    return list(_breach_listeners)


def breach_opened(breach: SlaBreach) -> None:
    """Tell the listeners, on commit, that ``breach`` is open."""
    for listener in _breach_listeners:
        transaction.on_commit(partial(listener, breach), robust=True)


# --- warnings before a new commitment ------------------------------------------------------------

CommitmentWarning = Callable[[Any], list[str]]
_commitment_warnings: list[CommitmentWarning] = []


def register_commitment_warning(source: CommitmentWarning) -> None:
    """``source(relationship)`` answers sentences to show before a new contract is drafted on the
    relationship (a scorecard standing that warns on new commitments, say)."""
    if source not in _commitment_warnings:
        _commitment_warnings.append(source)


def commitment_warnings(relationship: Any) -> list[str]:
    return [warning for source in _commitment_warnings for warning in source(relationship)]
