"""Reads of third-party risk. Every one starts from the access policy, so the risk tab, the
dashboard, the lists, the API and exports show only what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from steward.core.access import Action, get_for_user, principal_for, spec_of
from steward.parties.models import Relationship
from steward.parties.selectors import relationship_get
from steward.risk.choices import RiskStatus
from steward.risk.findings_lifecycle import OPEN as OPEN_FINDING
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor
from steward.spend import analytics
from steward.spend.analytics.period import Period
from steward.spend.scope import scope_for
from steward.suppliers.choices import Stage
from steward.suppliers.models import Category, Supplier
from steward.suppliers.selectors import supplier_get

# Concentration thresholds: what counts as concentrated.
TOP_VENDOR_SHARE = Decimal(50)  # one vendor holds at least half of a category's spend
CRITICAL_TIER = 2  # tier 1 and 2 vendors are critical ...
CRITICAL_CRITICALITY = 4  # ... and so are vendors whose criticality is 4 or 5
COUNTRY_CRITICAL_VENDORS = 2  # several critical vendors in one country
SHARED_FOURTH_PARTY_VENDORS = 2  # a fourth party several of our vendors depend on
# Vendors that count as suppliers of a category today.
ACTIVE_STAGES = (Stage.ONBOARDING, Stage.ACTIVE, Stage.UNDER_REVIEW)


# --- vendors ----------------------------------------------------------------------------------


def works_every_vendor(*, user: Any) -> bool:
    """IT security works the risk records of every vendor (the risk models' access specs name
    the function), including vendors whose own page it may not open."""
    principal = principal_for(user)
    return principal.is_internal and principal.function in spec_of(RiskProfile).functions


def risk_vendor_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Supplier:
    """A vendor whose risk records the user may read (or change, for ``action``)."""
    if works_every_vendor(user=user):
        try:
            return Supplier.objects.select_related("relationship__organization").get(pk=pk)
        except (Supplier.DoesNotExist, ValueError, TypeError) as error:
            raise Http404 from error
    return supplier_get(user=user, pk=pk, action=action)


def risk_relationship_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Relationship:
    """A relationship whose register the user may read (or change, for ``action``)."""
    if works_every_vendor(user=user):
        try:
            return Relationship.objects.select_related("organization").get(pk=pk)
        except (Relationship.DoesNotExist, ValueError, TypeError) as error:
            raise Http404 from error
    return relationship_get(user=user, pk=pk, action=action)


# --- profiles ----------------------------------------------------------------------------------


def risk_profile_for(*, user: Any, supplier: Supplier) -> RiskProfile | None:
    return RiskProfile.objects.restrict(user, Action.VIEW).filter(pk=supplier.pk).first()


def risk_profiles(*, user: Any) -> QuerySet[RiskProfile]:
    return RiskProfile.objects.restrict(user, Action.VIEW).select_related(
        "supplier__relationship__organization"
    )


def risk_profile_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> RiskProfile:
    return get_for_user(risk_profiles(user=user), user=user, pk=pk, action=action)


def overdue_reassessments(*, user: Any, today: dt.date) -> QuerySet[RiskProfile]:
    return (
        risk_profiles(user=user)
        .filter(next_assessment_due__lt=today, supplier__archived_at__isnull=True)
        .order_by("next_assessment_due", "pk")
    )


def tier_counts(*, user: Any) -> dict[int, int]:
    counts = dict(
        risk_profiles(user=user)
        .filter(supplier__archived_at__isnull=True)
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    return {tier: counts.get(tier, 0) for tier in (1, 2, 3, 4)}


# --- the register ------------------------------------------------------------------------------


def risks(*, user: Any) -> QuerySet[Risk]:
    return Risk.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "owner"
    )


def risk_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Risk:
    return get_for_user(risks(user=user), user=user, pk=pk, action=action)


def relationship_risks(*, user: Any, relationship_id: int) -> QuerySet[Risk]:
    return (
        risks(user=user)
        .filter(archived_at__isnull=True)
        .filter(relationship_id=relationship_id)
        .order_by("status", "-residual_likelihood", "-residual_impact", "pk")
    )


def heat_map(*, user: Any) -> list[list[int]]:
    """Open risks by residual likelihood (rows 1..5) and impact (columns 1..5)."""
    grid = [[0] * 5 for _ in range(5)]
    rows = (
        risks(user=user)
        .filter(archived_at__isnull=True)
        .filter(status=RiskStatus.OPEN)
        .order_by()
        .values("residual_likelihood", "residual_impact")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        grid[row["residual_likelihood"] - 1][row["residual_impact"] - 1] = row["n"]
    return grid


# --- findings ----------------------------------------------------------------------------------


def findings(*, user: Any) -> QuerySet[Finding]:
    return Finding.objects.restrict(user, Action.VIEW).select_related(
        "supplier__relationship__organization", "owner"
    )


def finding_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Finding:
    return get_for_user(findings(user=user), user=user, pk=pk, action=action)


def finding_filterset(*, user: Any, filters: Any) -> Any:
    from steward.risk.filtersets import FindingFilterSet

    return FindingFilterSet(filters, queryset=findings(user=user))


def risk_filterset(*, user: Any, filters: Any) -> Any:
    from steward.risk.filtersets import RiskFilterSet

    return RiskFilterSet(filters, queryset=risks(user=user))


def overdue_findings(*, user: Any, today: dt.date) -> QuerySet[Finding]:
    return (
        findings(user=user)
        .filter(archived_at__isnull=True)
        .filter(status__in=OPEN_FINDING, remediation_due_on__lt=today)
        .order_by("remediation_due_on", "pk")
    )


def supplier_findings(*, user: Any, supplier: Supplier) -> QuerySet[Finding]:
    return (
        findings(user=user)
        .filter(archived_at__isnull=True)
        .filter(supplier=supplier)
        .order_by("status", "remediation_due_on", "pk")
    )


# --- fourth parties ----------------------------------------------------------------------------


def subcontractors(*, user: Any) -> QuerySet[Subcontractor]:
    return Subcontractor.objects.restrict(user, Action.VIEW).select_related(
        "organization", "supplier__relationship__organization"
    )


def subcontractor_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Subcontractor:
    return get_for_user(subcontractors(user=user), user=user, pk=pk, action=action)


def subcontractor_tree(*, user: Any, supplier: Supplier) -> list[tuple[Subcontractor, int]]:
    """The vendor's current links in tree order, each with its depth (0 at the top)."""
    links = list(
        subcontractors(user=user)
        .filter(archived_at__isnull=True)
        .filter(supplier=supplier)
        .order_by("pk")
    )
    children: dict[int | None, list[Subcontractor]] = defaultdict(list)
    known = {link.pk for link in links}
    for link in links:
        # A link under an archived parent shows at the top rather than disappearing.
        children[link.parent_id if link.parent_id in known else None].append(link)
    ordered: list[tuple[Subcontractor, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for link in sorted(children[parent], key=lambda x: (str(x.organization), x.pk)):
            ordered.append((link, depth))
            walk(link.pk, depth + 1)

    walk(None, 0)
    return ordered


# --- concentration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryConcentration:
    category_id: int
    category: str
    amount: Decimal
    vendors: int
    top_supplier_id: int
    top_supplier: str
    top_share: Decimal


@dataclass(frozen=True)
class SingleSource:
    category_id: int
    category: str
    supplier_id: int
    supplier: str


@dataclass(frozen=True)
class Grouped:
    """Vendors that share something: a country, or a fourth party they depend on."""

    key: str
    label: str
    vendors: list[tuple[int, str]] = field(default_factory=list)
    handles_our_data: bool = False


@dataclass(frozen=True)
class Concentration:
    period: Period
    categories: list[CategoryConcentration]
    single_source: list[SingleSource]
    countries: list[Grouped]
    fourth_parties: list[Grouped]

    @property
    def empty(self) -> bool:
        return not (self.categories or self.single_source or self.countries or self.fourth_parties)


def _names(user: Any, ids: set[int]) -> dict[int, str]:
    return dict(
        Supplier.objects.restrict(user, Action.VIEW)
        .filter(pk__in=ids)
        .values_list("pk", "relationship__organization__display_name")
    )


def concentration(*, user: Any, today: dt.date) -> Concentration:
    """Concentration risk worked out from the data each time (nothing stored)."""
    period = Period.last_12_months(today)
    return Concentration(
        period=period,
        categories=_spend_concentration(user, period),
        single_source=_single_source(user),
        countries=_critical_countries(user),
        fourth_parties=_shared_fourth_parties(user),
    )


def _spend_concentration(user: Any, period: Period) -> list[CategoryConcentration]:
    # The spend the user may see, as on the spend pages.
    rows = [
        row
        for row in analytics.concentration(scope_for(user), period)
        if row.top_share >= TOP_VENDOR_SHARE
    ]
    names = _names(user, {row.top_supplier_id for row in rows})
    categories = dict(
        Category.objects.filter(pk__in=[row.category_id for row in rows]).values_list("pk", "name")
    )
    return [
        CategoryConcentration(
            category_id=row.category_id,
            category=categories.get(row.category_id, ""),
            amount=Decimal(row.amount_cents) / 100,
            vendors=row.vendors,
            top_supplier_id=row.top_supplier_id,
            top_supplier=names[row.top_supplier_id],
            top_share=row.top_share,
        )
        for row in rows
        if row.top_supplier_id in names
    ]


def _single_source(user: Any) -> list[SingleSource]:
    active = Q(
        suppliers__archived_at__isnull=True,
        suppliers__stage__in=ACTIVE_STAGES,
    )
    single = (
        Category.objects.filter(archived_at__isnull=True)
        .annotate(active_vendors=Count("suppliers", filter=active))
        .filter(active_vendors=1)
    )
    links = Supplier.categories.through.objects.filter(
        category__in=single.values("pk"),
        supplier__archived_at__isnull=True,
        supplier__stage__in=ACTIVE_STAGES,
    ).values_list("category_id", "category__name", "supplier_id")
    rows = list(links)
    names = _names(user, {supplier_id for _, _, supplier_id in rows})
    return sorted(
        (
            SingleSource(category_id, category, supplier_id, names[supplier_id])
            for category_id, category, supplier_id in rows
            if supplier_id in names
        ),
        key=lambda row: (row.category, row.category_id),
    )


def _critical_countries(user: Any) -> list[Grouped]:
    critical = (
        Supplier.objects.restrict(user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .exclude(stage=Stage.OFFBOARDED)
        .exclude(relationship__organization__country="")
        .filter(Q(risk_profile__tier__lte=CRITICAL_TIER) | Q(criticality__gte=CRITICAL_CRITICALITY))
        .values_list(
            "pk", "relationship__organization__display_name", "relationship__organization__country"
        )
    )
    by_country: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, country in critical:
        by_country[str(country)].append((pk, name))
    from django_countries import countries

    return [
        Grouped(key=code, label=str(countries.name(code)), vendors=sorted(found, key=_by_name))
        for code, found in sorted(by_country.items())
        if len(found) >= COUNTRY_CRITICAL_VENDORS
    ]


def _by_name(pair: tuple[int, str]) -> tuple[str, int]:
    return (pair[1], pair[0])


def _shared_fourth_parties(user: Any) -> list[Grouped]:
    # Every link of a tree carries its vendor, so one pass sees through the whole tree.
    links = (
        subcontractors(user=user)
        .filter(archived_at__isnull=True)
        .filter(supplier__archived_at__isnull=True)
        .values_list(
            "organization_id",
            "organization__display_name",
            "supplier_id",
            "supplier__relationship__organization__display_name",
            "handles_our_data",
        )
    )
    vendors: dict[int, dict[int, str]] = defaultdict(dict)
    labels: dict[int, str] = {}
    data: dict[int, bool] = defaultdict(bool)
    for organization_id, label, supplier_id, supplier, handles in links:
        vendors[organization_id][supplier_id] = supplier
        labels[organization_id] = label
        data[organization_id] |= handles
    shared = [
        Grouped(
            key=str(organization_id),
            label=labels[organization_id],
            vendors=sorted(found.items(), key=_by_name),
            handles_our_data=data[organization_id],
        )
        for organization_id, found in vendors.items()
        if len(found) >= SHARED_FOURTH_PARTY_VENDORS
    ]
    return sorted(shared, key=lambda row: (-len(row.vendors), row.label))
