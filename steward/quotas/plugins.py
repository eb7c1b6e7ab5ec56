"""What the quotas app plugs into the screens and registries below it: the demand menu's
"Quotas" and "Accountability", the account page's "Profitability" tab, and the dashboard's
measures."""

from __future__ import annotations

from typing import Any


def _profitability_context(request: Any, relationship: Any) -> dict[str, Any]:
    from steward.quotas.views.facts import profitability_tab

    return profitability_tab(request, relationship)


def register() -> None:
    from steward.accounts.tabs import AccountTab, register_account_tab
    from steward.core.registry import NavEntry, register_nav
    from steward.quotas.measures import register_measures

    register_nav(
        NavEntry("Quotas", "quotas:attainment", "demand", order=40, match_prefix="/quotas/")
    )
    register_nav(
        NavEntry(
            "Accountability",
            "quotas:accountability",
            "demand",
            order=50,
            match_prefix="/accountability/",
        )
    )
    register_account_tab(
        AccountTab(
            name="profitability",
            label="Profitability",
            template="quotas/tab_profitability.html",
            context=_profitability_context,
            after="overview",
        )
    )
    register_measures()
