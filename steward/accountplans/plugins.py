"""What the accountplans app plugs into the screens and registries below it: the menu, the
account page's "Plan" tab, the accountability dashboard's measure, its own computed sections
and global search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse

from steward.accountplans import selectors
from steward.accountplans.sections import register_built_in_sections
from steward.accounts.tabs import AccountTab, register_account_tab
from steward.core.registry import NavEntry, SearchHit, register_nav, register_search
from steward.quotas.dashboard import DashboardMeasure, MeasureValue, register_dashboard_measure


def _share(met: int, total: int, url: str = "") -> MeasureValue:
    if total == 0:
        return MeasureValue(
            value=None,
            numerator=Decimal(0),
            denominator=Decimal(0),
            display="no active accounts",
            url=url,
        )
    value = (Decimal(met) * 100 / Decimal(total)).quantize(Decimal("0.1"))
    return MeasureValue(
        value=value,
        target=Decimal(100),
        numerator=Decimal(met),
        denominator=Decimal(total),
        display=f"{value} % ({met} of {total} accounts)",
        meets=met == total,
        url=url,
    )


def plans_meeting_standard(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    """Per account manager: the share of their active accounts whose current plan meets the
    standard (an account without a plan does not)."""
    url = reverse("accountplans:plan-list")
    return {
        person: _share(met, total, f"{url}?owner={person}")
        for person, (met, total) in selectors.plans_meeting_standard_by_owner(
            person_ids, today
        ).items()
    }


def roll_up_plans(values: Sequence[MeasureValue]) -> MeasureValue:
    """A manager's row adds the numerators and the denominators of their reports."""
    met = sum((v.numerator or Decimal(0) for v in values), Decimal(0))
    total = sum((v.denominator or Decimal(0) for v in values), Decimal(0))
    return _share(int(met), int(total))


def plan_tab_context(request: Any, relationship: Any) -> dict[str, Any]:
    return selectors.plan_tab(user=request.user, relationship=relationship)


def search_plans(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.plan_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Account plans",
            plan.title,
            plan.get_absolute_url(),
            f"{plan.relationship.organization} · {plan.get_status_display()}",
        )
        for plan in rows
    ]


def register() -> None:
    register_built_in_sections()
    register_nav(NavEntry("Account plans", "accountplans:plan-list", "demand", order=40))
    register_account_tab(
        AccountTab("plan", "Plan", "accountplans/_plan_tab.html", plan_tab_context)
    )
    register_dashboard_measure(
        DashboardMeasure(
            key="plans_meeting_standard",
            label="Plans meeting the standard",
            compute=plans_meeting_standard,
            roll_up=roll_up_plans,
            order=40,
            help="Share of the active accounts owned whose current plan meets the plan standard.",
        )
    )
    register_search("account_plans", search_plans)
