"""Sections of a plan that fill themselves: computed when shown, never stored, so a plan is
never stale.

A section is registered with ``register_plan_section``; an app above this one (a satisfaction
or health app) adds its own from its ``plugins.register`` without this app importing it.
``compute(plan, user, today)`` returns the context ``template`` renders (its rows restricted to
what ``user`` may see). Sections are internal unless the plan shares them with the customer
(``AccountPlan.shared_live_sections``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from steward.accounts.choices import OPEN_HOLDERS, Holder
from steward.accounts.models import InstalledProduct, WhitespaceCell
from steward.core.access import Action
from steward.core.errors import DomainError
from steward.issues.choices import IssueStatus
from steward.issues.models import Issue
from steward.pipeline.choices import OPEN_STAGES
from steward.pipeline.models import Opportunity
from steward.spend.conversion import convert
from steward.spend.money import base_currency

SectionCompute = Callable[[Any, Any, dt.date], dict[str, Any]]
TOP_CELLS = 5
LIST_LIMIT = 10


@dataclass(frozen=True)
class PlanSection:
    key: str
    label: str
    template: str
    compute: SectionCompute
    order: int = 100


_SECTIONS: dict[str, PlanSection] = {}


def register_plan_section(section: PlanSection) -> None:
    _SECTIONS[section.key] = section


def plan_sections() -> list[PlanSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_keys() -> list[str]:
    return [section.key for section in plan_sections()]


def in_base(totals: Iterable[tuple[str, Decimal]], day: dt.date) -> Decimal | None:
    """Per-currency sums converted and added; None when a rate is missing."""
    base = base_currency()
    try:
        return sum(
            (convert(amount, currency, base, day) for currency, amount in totals), Decimal(0)
        ).quantize(Decimal("0.01"))
    except DomainError:
        return None


def _money(rows: Iterable[Any], *names: str) -> dict[str, list[tuple[str, Decimal]]]:
    return {name: [(row["currency"], row[name] or Decimal(0)) for row in rows] for name in names}


# --- the built-in sections ----------------------------------------------------------------------


def pipeline_section(plan: Any, user: Any, today: dt.date) -> dict[str, Any]:
    """Open opportunities of the account: how many, their amount and weighted amount, summed per
    currency in one query and then converted."""
    weighted = ExpressionWrapper(
        F("amount") * F("probability") / Decimal(100),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    opportunities = Opportunity.objects.restrict(user, Action.VIEW).filter(
        relationship_id=plan.relationship_id, stage__in=OPEN_STAGES, archived_at__isnull=True
    )
    rows = list(
        opportunities.values("currency")
        .annotate(amount_sum=Sum("amount"), weighted_sum=Sum(weighted))
        .order_by("currency")
    )
    money = _money(rows, "amount_sum", "weighted_sum")
    return {
        "count": opportunities.count(),
        "by_currency": rows,
        "amount": in_base(money["amount_sum"], today),
        "weighted": in_base(money["weighted_sum"], today),
        "base_currency": base_currency(),
    }


def _penetration_fallback(cells: Any) -> Decimal | None:
    """Share of the eligible cells (not "not a fit") that we hold, in per cent."""
    counts = cells.aggregate(
        ours=Count("pk", filter=Q(holder=Holder.US)),
        eligible=Count("pk", filter=~Q(holder=Holder.NOT_A_FIT)),
    )
    if not counts["eligible"]:
        return None
    return (Decimal(counts["ours"] or 0) * 100 / Decimal(counts["eligible"])).quantize(
        Decimal("0.1")
    )


def whitespace_section(plan: Any, user: Any, today: dt.date) -> dict[str, Any]:
    cells = WhitespaceCell.objects.restrict(user, Action.VIEW).filter(
        relationship_id=plan.relationship_id, archived_at__isnull=True
    )
    penetration: Any = None
    try:
        selectors = importlib.import_module("steward.accounts.selectors")
    except ImportError:
        selectors = None
    shared = getattr(selectors, "penetration", None)
    if callable(shared):
        try:
            penetration = shared(user=user, relationship=plan.relationship)
        except TypeError:
            penetration = None
    if penetration is None:
        penetration = _penetration_fallback(cells)
    top = (
        cells.filter(holder__in=OPEN_HOLDERS, potential__isnull=False)
        .select_related("family", "site")
        .order_by("-potential", "pk")[:TOP_CELLS]
    )
    return {"penetration": penetration, "top_cells": list(top)}


def problems_section(plan: Any, user: Any, today: dt.date) -> dict[str, Any]:
    issues = (
        Issue.objects.restrict(user, Action.VIEW)
        .filter(relationship_id=plan.relationship_id, archived_at__isnull=True)
        .exclude(status__in=(IssueStatus.RESOLVED, IssueStatus.CLOSED))
        .order_by("opened_at", "pk")
    )
    return {"count": issues.count(), "issues": list(issues[:LIST_LIMIT])}


def installed_section(plan: Any, user: Any, today: dt.date) -> dict[str, Any]:
    installed = (
        InstalledProduct.objects.restrict(user, Action.VIEW)
        .filter(relationship_id=plan.relationship_id, archived_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
    )
    rows = list(
        installed.values("currency")
        .annotate(
            revenue=Coalesce(Sum("annual_revenue"), Decimal(0)),
            cost=Coalesce(Sum("annual_cost"), Decimal(0)),
        )
        .order_by("currency")
    )
    money = _money(rows, "revenue", "cost")
    revenue = in_base(money["revenue"], today)
    cost = in_base(money["cost"], today)
    return {
        "count": installed.count(),
        "products": list(installed.select_related("product", "site")[:LIST_LIMIT]),
        "revenue": revenue,
        "margin": None if revenue is None or cost is None else revenue - cost,
        "base_currency": base_currency(),
    }


def register_built_in_sections() -> None:
    register_plan_section(
        PlanSection(
            "pipeline", "Open pipeline", "accountplans/sections/pipeline.html", pipeline_section, 10
        )
    )
    register_plan_section(
        PlanSection(
            "whitespace",
            "Whitespace",
            "accountplans/sections/whitespace.html",
            whitespace_section,
            20,
        )
    )
    register_plan_section(
        PlanSection(
            "problems", "Open problems", "accountplans/sections/problems.html", problems_section, 30
        )
    )
    register_plan_section(
        PlanSection(
            "installed",
            "Installed base",
            "accountplans/sections/installed.html",
            installed_section,
            40,
        )
    )
