"""Reads for the renewal radar and obligations: the radar itself, the renewal pack, the
iCalendar feed of deadlines, and obligation lists. Everything reads through the access policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from steward.contracts import lifecycle, selectors_sla
from steward.contracts.filtersets import SIDE_OF_RELATIONSHIP
from steward.contracts.models import (
    Contract,
    NegotiationEntry,
    Obligation,
    RenewalDecision,
    RenewalReminderPolicy,
)
from steward.contracts.models.obligations import ObligationStatus
from steward.contracts.models.renewals import RenewalChoice
from steward.core.access import Action, allows, get_for_user, principal_for

RADAR_WINDOWS = (30, 60, 90)
# Whose contracts the radar shows: the user's own, the user's and their reports', or all the
# user may see.
SCOPE_MINE = "mine"
SCOPE_TEAM = "team"
SCOPE_ALL = "all"
RADAR_SCOPES = (
    (SCOPE_MINE, "Mine"),
    (SCOPE_TEAM, "My team"),
    (SCOPE_ALL, "Everything I may see"),
)
NOTICE_DEADLINE = "notice_deadline"
END_DATE = "end_date"
TRIGGER_LABELS = {NOTICE_DEADLINE: "Notice deadline", END_DATE: "End of term"}


# --- the radar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarEntry:
    contract: Contract
    trigger: str  # NOTICE_DEADLINE or END_DATE: the earliest of them inside the window
    date: dt.date
    days_left: int

    @property
    def trigger_label(self) -> str:
        return TRIGGER_LABELS[self.trigger]

    @property
    def decision(self) -> str:
        """The decision standing for the current term ("" for none), as radar_contracts
        annotates it."""
        return str(getattr(self.contract, "current_decision", None) or "")

    @property
    def decision_label(self) -> str:
        return RenewalChoice(self.decision).label if self.decision else ""


def radar_contracts(
    *,
    user: Any,
    on: dt.date | None = None,
    days: int = 30,
    owner: Any | None = None,
    team: bool = False,
    side: str = "",
) -> QuerySet[Contract]:
    """The radar's contracts as one query, each annotated with ``current_decision`` (the
    decision standing for the term ending on its end date, or None), by notice deadline.

    ``owner`` keeps one owner's; ``team`` keeps those of the user and their reports; ``side``
    ("buy" or "sell") keeps one side's.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
        raise ValueError(f"The radar looks 0 to 366 days ahead, not {days!r}.")
    today = on or timezone.localdate()
    until = today + dt.timedelta(days=days)
    notice_window = Q(notice_deadline__gte=today, notice_deadline__lte=until)
    decisions = RenewalDecision.objects.filter(
        contract=OuterRef("pk"),
        for_term_ending=OuterRef("end_date"),
        superseded_at__isnull=True,
        archived_at__isnull=True,
    ).order_by("-pk")
    contracts = (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(status__in=lifecycle.IN_FORCE)
        .filter(notice_window | Q(end_date__gte=today, end_date__lte=until))
        .select_related("owner", "relationship__organization")
        .annotate(
            current_decision=Subquery(decisions.values("decision")[:1]),
            # The earliest of its dates inside the window: why it is on the radar.
            radar_date=Case(
                When(notice_window, then=F("notice_deadline")),
                default=F("end_date"),
            ),
        )
        .order_by("radar_date", "title", "pk")
    )
    if owner is not None:
        contracts = contracts.filter(owner=owner)
    if team:
        contracts = contracts.filter(owner_id__in={user.pk, *principal_for(user).report_ids})
    if side:
        contracts = contracts.filter(relationship__side=SIDE_OF_RELATIONSHIP[side])
    return contracts


def radar(
    *,
    user: Any,
    on: dt.date | None = None,
    days: int = 30,
    owner: Any | None = None,
    team: bool = False,
    side: str = "",
) -> list[RadarEntry]:
    """Contracts in force whose notice deadline or end date falls within ``days`` days of ``on``
    (both ends included), soonest first.

    ``owner`` keeps one owner's; ``team`` keeps those of the user and their reports.
    """
    today = on or timezone.localdate()
    until = today + dt.timedelta(days=days)
    contracts = radar_contracts(user=user, on=today, days=days, owner=owner, team=team, side=side)
    return radar_entries(contracts, today=today, until=until)


def radar_entries(contracts: Any, *, today: dt.date, until: dt.date) -> list[RadarEntry]:
    """The entries of some of ``radar_contracts`` (a page of them, say), in its order."""
    return [radar_entry(contract, today, until) for contract in contracts]


def radar_entry(contract: Contract, today: dt.date, until: dt.date) -> RadarEntry:
    """Why ``contract`` is on the radar from ``today`` to ``until``: its earliest date inside."""
    candidates = [
        (day, trigger)
        for day, trigger in (
            (contract.notice_deadline, NOTICE_DEADLINE),
            (contract.end_date, END_DATE),
        )
        if day is not None and today <= day <= until
    ]
    day, trigger = min(candidates)  # the query guarantees one
    return RadarEntry(contract=contract, trigger=trigger, date=day, days_left=(day - today).days)


# --- obligations -----------------------------------------------------------------------------


def obligation_list(
    *, user: Any, contract: Contract | None = None, open_only: bool = False
) -> QuerySet[Obligation]:
    obligations = (
        Obligation.objects.restrict(user, Action.VIEW)
        .active()
        .select_related("owner", "contract")
        .order_by("due_on", "title", "pk")
    )
    if contract is not None:
        obligations = obligations.filter(contract=contract)
    if open_only:
        obligations = obligations.filter(status=ObligationStatus.OPEN)
    return obligations


def decision_history(*, user: Any, contract: Contract) -> QuerySet[RenewalDecision]:
    """Every decision on the contract, superseded ones included, newest first."""
    return (
        RenewalDecision.objects.restrict(user, Action.VIEW)
        .active()
        .filter(contract=contract)
        .select_related("decided_by")
        .order_by("-for_term_ending", "-created_at", "-pk")
    )


# --- a relationship's contracts --------------------------------------------------------------

RELATIONSHIP_CONTRACTS_SHOWN = 10


def relationship_contracts(*, user: Any, relationship: Any) -> QuerySet[Contract]:
    """The current contracts on a relationship the user may see, those ending soonest first
    (evergreen ones last); one query."""
    return (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(relationship=relationship)
        .order_by(F("end_date").asc(nulls_last=True), "title", "pk")
    )


# --- the reminder policy ---------------------------------------------------------------------


def reminder_policy_get(*, user: Any, action: str = Action.VIEW) -> RenewalReminderPolicy:
    """The one policy row, for a user who may ``action`` it (internal users read it,
    administrators change it); 404 otherwise."""
    RenewalReminderPolicy.objects.get_or_create(pk=1)
    return get_for_user(RenewalReminderPolicy.objects.all(), user=user, pk=1, action=action)


# --- the renewal pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class PackRow:
    cells: tuple[str, ...]
    url: str = ""  # the first cell links here when given


@dataclass(frozen=True)
class PackSection:
    """A section another app adds to the renewal pack, in a shape the pack page shows as a
    table: a title, column headers, rows, and what to say when there are none."""

    title: str
    headers: tuple[str, ...]
    rows: list[PackRow]
    empty: str
    note: str = ""


PackProvider = Callable[[Any, Contract], Any]
_pack_sections: dict[str, PackProvider] = {}


def register_pack_section(name: str, provider: PackProvider) -> None:
    """Let a higher app add a section to the renewal pack (suppliers: the vendor's scorecard
    trend and the other suppliers prequalified for its categories). The provider receives the
    user and the contract, must read through the access policy, and returns the section: a
    ``PackSection`` for the pack page to show, or None when it does not apply."""
    _pack_sections[name] = provider


def pack_section_names() -> list[str]:
    """The names of the sections other apps added, in the order they were registered."""
    return list(_pack_sections)


def renewal_pack(*, user: Any, contract: Contract, on: dt.date | None = None) -> dict[str, Any]:
    """What to read before the notice deadline, from what Steward knows today."""
    if not allows(user, Action.VIEW, contract):
        raise PermissionDenied("You may not view this contract.")
    today = on or timezone.localdate()
    deadline = contract.notice_deadline
    pack: dict[str, Any] = {
        "contract": contract,
        "terms": _terms(contract),
        "notice_deadline": deadline,
        "days_left": (deadline - today).days if deadline else None,
        "decisions": list(decision_history(user=user, contract=contract)),
        "open_obligations": list(obligation_list(user=user, contract=contract, open_only=True)),
        "negotiation": list(
            NegotiationEntry.objects.restrict(user, Action.VIEW)
            .active()
            .filter(contract=contract)
            .select_related("logged_by")
        ),
        "sla": _sla_section(user, contract),
    }
    for name, provider in _pack_sections.items():
        pack[name] = provider(user, contract)
    return pack


def _terms(contract: Contract) -> dict[str, Any]:
    return {
        "kind": contract.get_kind_display(),
        "side": contract.side,
        "counterparty": str(contract.relationship.organization),
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "term_months": contract.term_months,
        "evergreen": contract.evergreen,
        "auto_renews": contract.auto_renews,
        "renewal_term_months": contract.renewal_term_months,
        "notice": f"{contract.notice_count} {contract.get_notice_unit_display().lower()}",
        "currency": contract.currency,
        "total_value": contract.total_value,
        "annual_value": contract.annual_value,
        "payment_terms": contract.payment_terms,
    }


def _sla_section(user: Any, contract: Contract) -> dict[str, Any]:
    """SLA attainment (the last year of periods per service level), open breaches and the
    credits ledger."""
    levels = list(selectors_sla.service_levels(user, contract))
    return {
        "service_levels": [
            {
                "service_level": level,
                "trend": list(selectors_sla.attainment_trend(user, level))[-12:],
            }
            for level in levels
        ],
        "open_breaches": list(selectors_sla.breaches(user, contract)),
        "credits": selectors_sla.credits_ledger(user, contract),
    }


# --- the iCalendar feed ----------------------------------------------------------------------

FEED_LOOKBACK = dt.timedelta(days=30)


def feed_contracts(user: Any) -> QuerySet[Contract]:
    """Contracts in force the user owns or has a part in, and may still see."""
    return (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(status__in=lifecycle.IN_FORCE)
        .filter(Q(owner=user) | Q(stakeholders__user=user, stakeholders__archived_at__isnull=True))
        .distinct()
        .select_related("relationship__organization")
        .order_by("pk")
    )


def feed_for_user(user: Any, on: dt.date | None = None) -> bytes:
    """An iCalendar file with an all-day event per notice deadline and end of term from 30 days
    before ``on`` onwards."""
    from icalendar import Calendar, Event

    today = on or timezone.localdate()
    since = today - FEED_LOOKBACK
    calendar = Calendar()
    calendar.add("prodid", "-//Steward//Contract deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Steward contract deadlines")
    stamp = timezone.now()
    for contract in feed_contracts(user):
        for trigger, day in (
            (NOTICE_DEADLINE, contract.notice_deadline),
            (END_DATE, contract.end_date),
        ):
            if day is None or day < since:
                continue
            event = Event()
            event.add("uid", f"contract-{contract.pk}-{trigger}-{day:%Y%m%d}@steward")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add(
                "summary",
                f"{TRIGGER_LABELS[trigger]}: {contract} ({contract.relationship.organization})",
            )
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return bytes(calendar.to_ical())
