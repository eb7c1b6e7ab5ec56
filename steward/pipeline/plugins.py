"""What the pipeline app plugs into the screens and registries below it: the Demand menu's
"Pipeline" and "Forecast", the account page's "Pipeline" tab, the whitespace cell's "Open an
opportunity" button, and opportunities in the global search."""

from __future__ import annotations

from typing import Any

from steward.core.access import principal_for
from steward.core.registry import SearchHit


def opportunities_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    if not principal_for(user).is_internal:
        return []
    from steward.pipeline import selectors

    rows = selectors.opportunity_filterset(user=user, filters={"q": query}).qs[:limit]
    return [
        SearchHit(
            kind="opportunity",
            title=str(opportunity),
            url=opportunity.get_absolute_url(),
            detail=f"{opportunity.get_stage_display()} · {opportunity.relationship.organization}",
        )
        for opportunity in rows
    ]


def _pipeline_tab(request: Any, relationship: Any) -> dict[str, Any]:
    from steward.pipeline.views.opportunities import account_tab_context

    return account_tab_context(request, relationship)


def register() -> None:
    from steward.accounts.cell_actions import CellAction, register_cell_action
    from steward.accounts.tabs import AccountTab, register_account_tab
    from steward.core.registry import NavEntry, register_nav, register_search

    register_nav(
        NavEntry(
            "Pipeline", "pipeline:opportunity-list", "demand", order=20, match_prefix="/pipeline/"
        )
    )
    register_nav(NavEntry("Forecast", "pipeline:forecast", "demand", order=25))
    register_account_tab(
        AccountTab(
            name="pipeline",
            label="Pipeline",
            template="pipeline/tab_pipeline.html",
            context=_pipeline_tab,
            after="whitespace",
        )
    )
    register_cell_action(CellAction("Open an opportunity", "pipeline:opportunity-from-cell"))
    register_search("pipeline.opportunities", opportunities_search)
