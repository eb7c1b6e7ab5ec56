"""What the satisfaction app plugs into the screens and registries below it: the Demand menu
entries, the account page's Health tab, the scorecard engine's health measures and its shipped
"Customer health" template, the accountability dashboard's standard column and the joint account
plan's satisfaction section."""

from __future__ import annotations

from steward.core.registry import NavEntry, register_nav


def register() -> None:
    from steward.accountplans.sections import PlanSection, register_plan_section
    from steward.accounts.tabs import AccountTab, register_account_tab
    from steward.satisfaction.dashboard import register_standard_measure
    from steward.satisfaction.health import register_health_template
    from steward.satisfaction.measures import register_health_measures
    from steward.satisfaction.plan_section import satisfaction_section
    from steward.satisfaction.tab import health_tab_context

    register_nav(NavEntry("Satisfaction", "satisfaction:overview", "demand", order=60))
    register_nav(NavEntry("Health warnings", "satisfaction:warnings", "demand", order=61))
    register_nav(NavEntry("Who haven't I met", "satisfaction:not-met", "demand", order=62))
    register_account_tab(
        AccountTab(
            name="health",
            label="Health",
            template="satisfaction/_health_tab.html",
            context=health_tab_context,
            after="overview",
        )
    )
    register_health_measures()
    register_health_template()
    register_standard_measure()
    register_plan_section(
        PlanSection(
            "satisfaction",
            "Satisfaction",
            "satisfaction/plan_section.html",
            satisfaction_section,
            order=35,
        )
    )
