"""Reads on the supply side, every one scoped by the access policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from steward.core.access import Action, RestrictedQuerySet, get_for_user
from steward.suppliers import lifecycle
from steward.suppliers.choices import RelationshipType, Segment, Stage
from steward.suppliers.filtersets import (
    CategoryFilterSet,
    SupplierFilterSet,
    lapsed_prequalification_q,
    mismatch_q,
    stalled_q,
)
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    LifecycleTransition,
    NegotiationLever,
    Prequalification,
    SegmentationPolicy,
    SegmentChange,
    SegmentPlaybook,
    StrategyKpi,
    Supplier,
    SupplierStrategy,
)

ATTENTION_LIMIT = 10


def _suppliers(user: Any, action: str = Action.VIEW) -> RestrictedQuerySet[Supplier]:
    return Supplier.objects.restrict(user, action).select_related(
        "relationship__organization", "relationship__owner"
    )


def supplier_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> SupplierFilterSet:
    """The vendors a user may see, filtered: ``.qs`` for rows, ``.form`` for controls."""
    suppliers = _suppliers(user).prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("code", "name"))
    )
    return SupplierFilterSet(filters or {}, queryset=suppliers)


def flag_annotations() -> dict[str, Case]:
    """Each attention flag as a column, so a list shows them without a query per row."""

    def flag(condition: Q) -> Case:
        return Case(
            When(condition, then=Value(value=True)),
            default=Value(value=False),
            output_field=BooleanField(),
        )

    return {
        "flag_mismatch": flag(mismatch_q()),
        "flag_stalled": flag(stalled_q()),
        "flag_lapsed": flag(lapsed_prequalification_q()),
    }


def supplier_list_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> SupplierFilterSet:
    """The vendor list page and its exports: the filter set's rows with their flags."""
    filterset = supplier_filterset(user=user, filters=filters)
    filterset.queryset = filterset.queryset.annotate(**flag_annotations())
    return filterset


def owner_choices(*, user: Any) -> QuerySet[Any]:
    """People who own a vendor the user may see: the owner filter's options."""
    owners = _suppliers(user).values("relationship__owner_id")
    return get_user_model().objects.filter(pk__in=owners).order_by("first_name", "last_name")


def supplier_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Supplier]:
    return supplier_filterset(user=user, filters=filters).qs


def supplier_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Supplier:
    suppliers = Supplier.objects.select_related(
        "relationship__organization", "relationship__owner"
    ).prefetch_related("categories")
    return get_for_user(suppliers, user=user, pk=pk, action=action)


@dataclass(frozen=True)
class SupplierFlags:
    """Why a vendor needs attention; the vendor page shows them as warnings."""

    mismatch: bool
    stalled: bool
    lapsed_prequalification: bool
    compatible_types: tuple[str, ...]
    default_type: str

    @property
    def any(self) -> bool:
        return self.mismatch or self.stalled or self.lapsed_prequalification


def supplier_flags(*, supplier: Supplier) -> SupplierFlags:
    one = Supplier.objects.filter(pk=supplier.pk)
    playbook = SegmentPlaybook.objects.filter(segment=supplier.segment).first()
    return SupplierFlags(
        mismatch=one.filter(mismatch_q()).exists(),
        stalled=one.filter(stalled_q()).exists(),
        lapsed_prequalification=one.filter(lapsed_prequalification_q()).exists(),
        compatible_types=tuple(playbook.compatible_types) if playbook else (),
        default_type=playbook.default_relationship_type if playbook else "",
    )


def checklist(*, supplier: Supplier) -> list[dict[str, Any]]:
    """The vendor's checklist grouped by the stage that carries it."""
    items = {
        item.code: item
        for item in ChecklistItem.objects.filter(supplier=supplier).select_related("done_by")
    }
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "items": [items[c] for c in codes if c in items],
            "editable": supplier.stage in _checklist_open_in(stage),
        }
        for stage, codes in lifecycle.CHECKLIST.items()
    ]


def _checklist_open_in(stage: str) -> set[str]:
    """Stages in which the checklist of ``stage`` can still be ticked (as checklist_set rules):
    until the vendor has left that stage forward."""
    open_in: set[str] = {Stage.PROSPECT, Stage.QUALIFICATION}
    if stage == Stage.ONBOARDING:
        open_in.add(Stage.ONBOARDING)
    return open_in


def next_stages(*, supplier: Supplier) -> list[dict[str, Any]]:
    """The stages the vendor may move to, each with what still blocks it."""
    done = set(
        ChecklistItem.objects.filter(supplier=supplier, done=True).values_list("code", flat=True)
    )
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "missing": [
                str(dict(ChecklistItem._meta.get_field("code").choices or [])[code])
                for code in lifecycle.missing_for(supplier.stage, stage, done)
            ],
        }
        for stage in sorted(lifecycle.allowed_next(supplier.stage), key=Stage.values.index)
    ]


def checklist_item_get(
    *, user: Any, supplier: Supplier, code: str, action: str = Action.VIEW
) -> ChecklistItem:
    items = ChecklistItem.objects.filter(supplier=supplier).select_related("supplier")
    pk = items.filter(code=code).values_list("pk", flat=True).first()
    return get_for_user(items, user=user, pk=pk, action=action)


def prequalification_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Prequalification:
    grants = Prequalification.objects.select_related(
        "supplier__relationship__organization", "category"
    )
    return get_for_user(grants, user=user, pk=pk, action=action)


def transitions(*, supplier: Supplier) -> QuerySet[LifecycleTransition]:
    return LifecycleTransition.objects.filter(supplier=supplier).select_related("actor")


def segment_changes(*, supplier: Supplier) -> QuerySet[SegmentChange]:
    return SegmentChange.objects.filter(supplier=supplier)


def prequalifications(*, supplier: Supplier) -> QuerySet[Prequalification]:
    return Prequalification.objects.filter(supplier=supplier).select_related(
        "category", "granted_by"
    )


def prequalified_suppliers(
    *, user: Any, category: Category, on: dt.date | None = None
) -> QuerySet[Supplier]:
    """Vendors that may be invited to source ``category`` on ``on`` (sourcing builds on this)."""
    on = on or timezone.localdate()
    return (
        _suppliers(user)
        .active()
        .filter(
            stage__in=lifecycle.PREQUALIFIABLE,
            prequalifications__category=category,
            prequalifications__revoked_on__isnull=True,
            prequalifications__granted_on__lte=on,
            prequalifications__expires_on__gte=on,
        )
        .distinct()
    )


def strategy_for(*, supplier: Supplier) -> SupplierStrategy | None:
    return (
        SupplierStrategy.objects.filter(supplier=supplier)
        .prefetch_related("kpis", "levers", "resource_people")
        .first()
    )


def playbook_for(*, supplier: Supplier) -> SegmentPlaybook | None:
    return SegmentPlaybook.objects.filter(segment=supplier.segment).first()


def policy() -> SegmentationPolicy:
    return SegmentationPolicy.objects.get(pk=1)


def policy_get(*, user: Any, action: str = Action.VIEW) -> SegmentationPolicy:
    """The policy, for a user who may ``action`` it (every internal user may read it)."""
    SegmentationPolicy.objects.get_or_create(pk=1)
    return get_for_user(SegmentationPolicy.objects.all(), user=user, pk=1, action=action)


def playbooks() -> QuerySet[SegmentPlaybook]:
    return SegmentPlaybook.objects.all()


def playbook_get(*, user: Any, segment: str, action: str = Action.VIEW) -> SegmentPlaybook:
    pk = SegmentPlaybook.objects.filter(segment=segment).values_list("pk", flat=True).first()
    return get_for_user(SegmentPlaybook.objects.all(), user=user, pk=pk, action=action)


def category_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> CategoryFilterSet:
    categories = (
        Category.objects.restrict(user, Action.VIEW)
        .select_related("parent")
        .annotate(supplier_count=Count("suppliers", distinct=True))
        .order_by("name")  # an aggregate drops Meta.ordering
    )
    return CategoryFilterSet(filters or {}, queryset=categories)


def category_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Category:
    return get_for_user(Category.objects.select_related("parent"), user=user, pk=pk, action=action)


def category_suppliers(*, user: Any, category: Category) -> QuerySet[Supplier]:
    """The vendors in a category that the user may see."""
    return _suppliers(user).active().filter(categories=category)


def category_choices() -> QuerySet[Category]:
    return Category.objects.active().only("pk", "code", "name")


# --- the portfolio page ------------------------------------------------------------------------


def _counts(rows: QuerySet[Supplier], field: str, choices: Any) -> list[dict[str, Any]]:
    # Distinct: a filter on two categories joins a vendor in both twice.
    found = dict(rows.order_by().values_list(field).annotate(n=Count("pk", distinct=True)))
    return [{"value": v, "label": label, "count": found.get(v, 0)} for v, label in choices]


def portfolio(*, user: Any, filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the portfolio page shows, over the vendors the user may see.

    The matrix points, the counts and each attention list are one query apiece.
    """
    rows = supplier_list(user=user, filters=filters).exclude(stage=Stage.OFFBOARDED)
    points = [
        {
            "id": pk,
            "name": name,
            "profit_impact": float(profit or 0),
            "supply_risk": float(risk or 0),
            "spend": float(spend or 0),
            "segment": segment,
            "overridden": bool(override),
        }
        for pk, name, profit, risk, spend, segment, override in rows.filter(
            profit_impact__isnull=False, supply_risk__isnull=False
        )
        .order_by()
        .values_list(
            "pk",
            "relationship__organization__display_name",
            "profit_impact",
            "supply_risk",
            "annual_spend",
            "segment",
            "segment_override",
        )
    ]

    def attention(condition: Any) -> dict[str, Any]:
        matching = rows.filter(condition)
        return {
            "count": matching.count(),
            "rows": list(
                matching.order_by("relationship__organization__display_name")[:ATTENTION_LIMIT]
            ),
        }

    not_placed = attention(Q(segment=""))
    return {
        "points": points,
        "unplaced": not_placed["count"],
        "by_segment": _counts(rows, "segment", Segment.choices),
        "by_type": _counts(rows, "relationship_type", RelationshipType.choices),
        "by_stage": _counts(supplier_list(user=user, filters=filters), "stage", Stage.choices),
        "mismatch": attention(mismatch_q()),
        "stalled": attention(stalled_q()),
        "lapsed": attention(lapsed_prequalification_q()),
        "not_placed": not_placed,
        "policy": policy(),
    }


def kpi_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> StrategyKpi:
    kpis = StrategyKpi.objects.select_related("strategy__supplier__relationship__organization")
    return get_for_user(kpis, user=user, pk=pk, action=action)


def lever_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> NegotiationLever:
    levers = NegotiationLever.objects.select_related(
        "strategy__supplier__relationship__organization"
    )
    return get_for_user(levers, user=user, pk=pk, action=action)


ATTENTION_FILTERS = {
    "mismatch": ("Type does not suit the segment", mismatch_q),
    "stalled": ("Onboarding stalled", stalled_q),
    "lapsed_prequalification": ("Prequalification lapsed", lapsed_prequalification_q),
}


def attention_for_owner(*, user: Any) -> list[dict[str, Any]]:
    """How many of the user's own live vendors need attention, per reason (one query each);
    ``filter`` is the vendor list's query-string key that shows them. Empty for someone who
    owns no vendor (an account manager, say)."""
    mine = (
        Supplier.objects.restrict(user, Action.VIEW)
        .active()
        .filter(relationship__owner_id=user.pk)
        .exclude(stage=Stage.OFFBOARDED)
    )
    if not mine.exists():
        return []
    return [
        {"label": label, "filter": key, "count": mine.filter(condition()).count()}
        for key, (label, condition) in ATTENTION_FILTERS.items()
    ]
