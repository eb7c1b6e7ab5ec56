"""Reads of quotas, revenue, costs to serve and training objectives, each starting from the access
policy. The figures computed from them (attainment, profitability, retention) are in
``steward.quotas.figures``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import QueryDict

from steward.core.access import Action, RestrictedQuerySet, get_for_user, principal_for
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.quotas.filtersets import (
    AccountRevenueFilterSet,
    QuotaFilterSet,
    ServiceCostFilterSet,
    TrainingObjectiveFilterSet,
)
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective

Filters = Mapping[str, Any] | None


def _filters(filters: Filters) -> Any:
    return filters if filters is not None else QueryDict()


# --- people --------------------------------------------------------------------------------------


def visible_people_ids(*, user: Any) -> frozenset[int]:
    """Whose numbers ``user`` may see: themselves and their direct and indirect reports."""
    principal = principal_for(user)
    if not principal.is_internal or principal.user_id is None:
        return frozenset()
    return frozenset({principal.user_id, *principal.report_ids})


def people(*, ids: Any) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(pk__in=ids)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
    )


def report_choices(*, user: Any) -> QuerySet[Any]:
    """People ``user`` may set targets for: their reports (everyone inside, for administrators)."""
    from steward.people.selectors import internal_user_choices

    principal = principal_for(user)
    choices = internal_user_choices(user=user).filter(is_active=True)
    if principal.is_admin:
        return choices
    return choices.filter(pk__in=sorted(principal.report_ids))


# --- quotas --------------------------------------------------------------------------------------


def quota_list(*, user: Any) -> RestrictedQuerySet[Quota]:
    return Quota.objects.restrict(user, Action.VIEW).select_related("person")


def quota_filterset(*, user: Any, filters: Filters = None) -> QuotaFilterSet:
    return QuotaFilterSet(_filters(filters), queryset=quota_list(user=user))


def quota_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> Quota:
    return get_for_user(quota_list(user=user), user=user, pk=pk, action=action)


# --- revenue and costs ----------------------------------------------------------------------------


def account_list(*, user: Any) -> QuerySet[Relationship]:
    """The customer accounts ``user`` may see."""
    return Relationship.objects.restrict(user, Action.VIEW).filter(side=Side.DEMAND)


def fact_accounts(*, user: Any) -> QuerySet[Relationship]:
    """The current customer accounts ``user`` may record revenue and costs for: every one for
    finance and administrators, else those the user may change."""
    accounts = Relationship.objects.filter(side=Side.DEMAND, archived_at__isnull=True)
    principal = principal_for(user)
    if not principal.may_write:
        return accounts.none()
    if principal.is_admin or principal.function in AccountRevenue.access_spec.functions:
        return accounts
    return accounts.filter(pk__in=Relationship.objects.restrict(user, Action.CHANGE).values("pk"))


def account_get(*, user: Any, pk: Any) -> Relationship:
    return get_for_user(Relationship.objects.filter(side=Side.DEMAND), user=user, pk=pk)


def revenue_list(*, user: Any) -> RestrictedQuerySet[AccountRevenue]:
    return AccountRevenue.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "product"
    )


def revenue_filterset(*, user: Any, filters: Filters = None) -> AccountRevenueFilterSet:
    return AccountRevenueFilterSet(_filters(filters), queryset=revenue_list(user=user))


def revenue_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> AccountRevenue:
    return get_for_user(revenue_list(user=user), user=user, pk=pk, action=action)


def cost_list(*, user: Any) -> RestrictedQuerySet[ServiceCost]:
    return ServiceCost.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization"
    )


def cost_filterset(*, user: Any, filters: Filters = None) -> ServiceCostFilterSet:
    return ServiceCostFilterSet(_filters(filters), queryset=cost_list(user=user))


def cost_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> ServiceCost:
    return get_for_user(cost_list(user=user), user=user, pk=pk, action=action)


# --- training ------------------------------------------------------------------------------------


def training_list(*, user: Any) -> RestrictedQuerySet[TrainingObjective]:
    return TrainingObjective.objects.restrict(user, Action.VIEW).select_related("person")


def training_filterset(*, user: Any, filters: Filters = None) -> TrainingObjectiveFilterSet:
    return TrainingObjectiveFilterSet(_filters(filters), queryset=training_list(user=user))


def training_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> TrainingObjective:
    return get_for_user(training_list(user=user), user=user, pk=pk, action=action)
