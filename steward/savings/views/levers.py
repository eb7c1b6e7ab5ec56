"""The levers page: savings the ledger suggests, and the button that takes one up."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import can_create
from steward.core.errors import DomainError
from steward.savings import levers as lever_rules
from steward.savings import selectors
from steward.savings.choices import SavingsKind
from steward.savings.models import SavingsInitiative
from steward.savings.services.initiatives import savings_initiative_from_lever
from steward.savings.views.common import internal_only
from steward.spend.analytics.period import Period
from steward.spend.money import base_currency
from steward.spend.scope import scope_for

PER_SECTION = 25  # the largest levers of each kind; the API lists them all

SECTION_HELP = {
    SavingsKind.CONSOLIDATION: (
        f"Categories spread over {lever_rules.CONSOLIDATION_MIN_VENDORS} or more vendors with "
        "no dominant one (HHI below 1500)."
    ),
    SavingsKind.VOLUME_COMMITMENT: (
        f"Vendors with spend in {lever_rules.STEADY_MIN_MONTHS} or more of the 12 months, a "
        f"coefficient of variation of {lever_rules.STEADY_MAX_CV} or less, and no contract in "
        "force."
    ),
    SavingsKind.LONGER_TERM: (
        "Vendors as steady, whose contracts in force all end within "
        f"{lever_rules.CONTRACT_ENDING_MONTHS} months."
    ),
    SavingsKind.OFF_CONTRACT: "Vendors paid at least the threshold on lines without a contract.",
}


def _sections(found: list[lever_rules.Lever]) -> list[dict[str, Any]]:
    by_kind: dict[str, list[lever_rules.Lever]] = defaultdict(list)
    for lever in found:
        by_kind[lever.kind].append(lever)
    return [
        {
            "kind": kind,
            "label": SavingsKind(kind).label,
            "help": SECTION_HELP[kind],
            "levers": by_kind[kind][:PER_SECTION],
            "more": max(0, len(by_kind[kind]) - PER_SECTION),
            "total": sum(lever.estimated_saving_cents for lever in by_kind[kind]),
        }
        for kind in lever_rules.LEVER_KINDS
    ]


@login_required
@internal_only
def lever_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    found = selectors.levers_for(user=user, today=today)
    context = {
        "title": "Savings levers",
        "sections": _sections(found),
        "period_label": lever_rules.period_label(Period.last_12_months(today)),
        "currency": base_currency(),
        "can_take_up": can_create(user, SavingsInitiative),
        "partial_scope": not scope_for(user).everything,
    }
    return render(request, "savings/levers.html", context)


@login_required
@internal_only
@require_POST
def lever_take_up(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("key", "")[:80]
    try:
        initiative = savings_initiative_from_lever(actor=request.user, key=key)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("savings:levers"))
    messages.success(request, "Initiative recorded from the lever; fill in who and when.")
    return HttpResponseRedirect(initiative.get_absolute_url())
