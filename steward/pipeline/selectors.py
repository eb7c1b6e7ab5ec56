"""Reads of the pipeline, each starting from the access policy.

Names other apps call (keep them): ``opportunity_list``, ``forecast``, ``open_pipeline_for``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Model, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from steward.core.access import Action, RestrictedQuerySet, get_for_user, principal_for
from steward.parties.models import Relationship
from steward.pipeline.amounts import HUNDRED, to_cents
from steward.pipeline.choices import OPEN_STAGES, ForecastCategory, Stage
from steward.pipeline.filtersets import OpportunityFilterSet
from steward.pipeline.forecast import Bucket, ForecastResult, roll_up
from steward.pipeline.models import (
    Opportunity,
    OpportunityContact,
    OpportunityCredit,
    OpportunityLine,
    ProposalDocument,
    StageChange,
)
from steward.spend.conversion import RateBook
from steward.spend.money import base_currency

_M = TypeVar("_M", bound=Model)
WEIGHTED = ExpressionWrapper(
    F("amount") * F("probability"), output_field=DecimalField(max_digits=24, decimal_places=2)
)


# --- opportunities -----------------------------------------------------------------------------


def opportunities_visible(*, user: Any) -> QuerySet[Opportunity]:
    return Opportunity.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "owner"
    )


def opportunity_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> OpportunityFilterSet:
    filterset = OpportunityFilterSet(
        filters if filters is not None else QueryDict(), queryset=opportunities_visible(user=user)
    )
    filterset.user = user
    return filterset


def opportunity_list(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> QuerySet[Opportunity]:
    """The opportunities the user may see, filtered as the list's filters say (invalid filters
    give nothing)."""
    filterset = opportunity_filterset(user=user, filters=filters)
    if not filterset.form.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def opportunity_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> Opportunity:
    return get_for_user(Opportunity.objects.all(), user=user, pk=pk, action=action)


def open_pipeline_for(relationship: Relationship) -> QuerySet[Opportunity]:
    """The account's open opportunities, soonest to close first (the caller has fetched the
    account through the policy)."""
    return (
        Opportunity.objects.filter(
            relationship=relationship, stage__in=OPEN_STAGES, archived_at__isnull=True
        )
        .select_related("owner")
        .order_by("close_date", "pk")
    )


def owner_choices(*, user: Any) -> QuerySet[Any]:
    owners = opportunities_visible(user=user).values("owner_id")
    return get_user_model().objects.filter(pk__in=owners).order_by("first_name", "last_name")


def account_choices(*, user: Any) -> QuerySet[Relationship]:
    """Customer accounts the user may change (to open an opportunity on)."""
    return (
        Relationship.objects.restrict(user, Action.CHANGE)
        .filter(side="demand", archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization__display_name")
    )


# --- the parts of an opportunity ---------------------------------------------------------------


def lines_of(opportunity: Opportunity) -> QuerySet[OpportunityLine]:
    return opportunity.lines.filter(archived_at__isnull=True).select_related("product")


def contacts_of(opportunity: Opportunity) -> QuerySet[OpportunityContact]:
    return opportunity.contacts.filter(archived_at__isnull=True).select_related("contact")


def credits_of(opportunity: Opportunity) -> QuerySet[OpportunityCredit]:
    return opportunity.credits.filter(archived_at__isnull=True).select_related("user")


def proposals_of(opportunity: Opportunity) -> QuerySet[ProposalDocument]:
    return opportunity.proposals.filter(archived_at__isnull=True).select_related("uploaded_by")


def stage_changes_of(opportunity: Opportunity) -> QuerySet[StageChange]:
    return opportunity.stage_changes.select_related("actor").order_by("changed_at", "pk")


def part_list(*, user: Any, model: type[_M]) -> RestrictedQuerySet[_M]:
    rows: RestrictedQuerySet[_M] = model._default_manager.restrict(user, Action.VIEW)  # type: ignore[attr-defined]
    return rows


def part_get(*, user: Any, model: type[_M], pk: Any, action: Action | str = Action.VIEW) -> _M:
    return get_for_user(model._default_manager.all(), user=user, pk=pk, action=action)


# --- roll-ups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    count: int
    amount: Decimal
    weighted: Decimal


def stage_summary(
    opportunities: QuerySet[Opportunity],
    *,
    currency: str | None = None,
    as_of: dt.date | None = None,
) -> list[StageRow]:
    """Per open stage: how many, their amount and weighted amount in one currency (converted
    at the as-of date's rate); two queries whatever the number of opportunities."""
    currency = currency or base_currency()
    as_of = as_of or timezone.localdate()
    rows = list(
        opportunities.filter(stage__in=OPEN_STAGES, archived_at__isnull=True)
        .exclude(forecast_category=ForecastCategory.OMITTED)
        .values("stage", "currency")
        .annotate(count=Count("pk"), amount_sum=Sum("amount"), weighted_sum=Sum(WEIGHTED))
        .order_by()
    )
    rates = RateBook([row["currency"] for row in rows] + [currency], until=as_of)
    totals: dict[str, list[Any]] = {stage: [0, Decimal(0), Decimal(0)] for stage in OPEN_STAGES}
    for row in rows:
        entry = totals[row["stage"]]
        entry[0] += row["count"]
        entry[1] += rates.convert(row["amount_sum"] or Decimal(0), row["currency"], currency, as_of)
        entry[2] += rates.convert(
            row["weighted_sum"] or Decimal(0), row["currency"], currency, as_of
        )
    return [
        StageRow(
            stage=stage,
            label=str(Stage(stage).label),
            count=count,
            amount=to_cents(Decimal(amount)),
            weighted=to_cents(Decimal(weighted) / HUNDRED),
        )
        for stage, (count, amount, weighted) in totals.items()
    ]


def team_owner_ids(user: Any) -> list[int]:
    """The user and their direct and indirect reports."""
    principal = principal_for(user)
    ids = set(principal.report_ids)
    if principal.user_id is not None:
        ids.add(principal.user_id)
    return sorted(ids)


def _buckets(opportunities: QuerySet[Opportunity], start: dt.date, end: dt.date) -> list[Bucket]:
    current = opportunities.filter(archived_at__isnull=True)
    won = (
        current.filter(stage=Stage.WON, closed_on__gte=start, closed_on__lte=end)
        .values("currency", "closed_on")
        .annotate(amount_sum=Sum("amount"))
        .order_by()
    )
    open_rows = (
        current.filter(stage__in=OPEN_STAGES, close_date__gte=start, close_date__lte=end)
        .exclude(forecast_category=ForecastCategory.OMITTED)
        .values("currency", "close_date", "forecast_category")
        .annotate(amount_sum=Sum("amount"), weighted_sum=Sum(WEIGHTED))
        .order_by()
    )
    return [
        *(
            Bucket(
                currency=row["currency"],
                day=row["closed_on"] or end,
                category=ForecastCategory.CLOSED,
                won=True,
                amount=row["amount_sum"] or Decimal(0),
            )
            for row in won
        ),
        *(
            Bucket(
                currency=row["currency"],
                day=row["close_date"],
                category=row["forecast_category"],
                won=False,
                amount=row["amount_sum"] or Decimal(0),
                weighted=row["weighted_sum"] or Decimal(0),
            )
            for row in open_rows
        ),
    ]


def forecast(
    *,
    user: Any,
    owner_ids: Iterable[int] | None,
    start: dt.date,
    end: dt.date,
    currency: str | None = None,
    as_of: dt.date | None = None,
) -> ForecastResult:
    """The forecast of the opportunities the user may see, owned by ``owner_ids`` (all the
    user may see when None), closing in [start, end], in ``currency`` (the base currency by
    default). Open ones convert at the as-of date's rate, won ones at their close date's.

    Three queries whatever the number of opportunities: won sums, open sums, the rates.
    """
    currency = currency or base_currency()
    as_of = as_of or timezone.localdate()
    opportunities = Opportunity.objects.restrict(user, Action.VIEW)
    if owner_ids is not None:
        opportunities = opportunities.filter(owner_id__in=sorted(set(owner_ids)))
    buckets = _buckets(opportunities, start, end)
    latest = max([as_of, *(b.day for b in buckets if b.won)])
    rates = RateBook([b.currency for b in buckets] + [currency], until=latest)
    return roll_up(
        buckets,
        currency=currency,
        start=start,
        end=end,
        as_of=as_of,
        convert=lambda amount, code, day: rates.convert(amount, code, currency, day),
    )
