"""What the handoffs app plugs into the screens and registries below it: the Demand menu entry,
the account workspace's "Handoff" tab, open items among the receiver's due items, and handoffs
in the global search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.core.access import principal_for
from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)

DUE_LIMIT = 50
TAB_ITEMS = 100


def handoff_items_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open, dated items of live handoffs the user receives or owns, overdue first."""
    if not principal_for(user).is_internal:
        return []
    from steward.handoffs import selectors

    rows = selectors.due_items_for(user=user, until=until)[:DUE_LIMIT]
    return [
        DueItem(
            title=f"{item.title} ({item.handoff.relationship.organization})",
            due_on=item.due_on,
            url=item.get_absolute_url(),
            kind="handoff_item",
            detail=("overdue · " if item.due_on < today else "") + item.get_kind_display(),
        )
        for item in rows
        if item.due_on is not None
    ]


def handoffs_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    if not principal_for(user).is_internal:
        return []
    from steward.handoffs import selectors

    rows = selectors.handoff_filterset(user=user, filters={"q": query}).qs[:limit]
    return [
        SearchHit(
            kind="handoff", title=str(h), url=h.get_absolute_url(), detail=h.get_status_display()
        )
        for h in rows
    ]


def account_tab_context(request: Any, relationship: Any) -> dict[str, Any]:
    from steward.handoffs import lifecycle, rules, selectors

    handoffs = list(selectors.account_handoffs(user=request.user, relationship=relationship))
    return {
        "handoffs": handoffs,
        "live_handoff": any(h.status not in lifecycle.FINISHED for h in handoffs),
        "open_items": list(
            selectors.open_items_of_account(user=request.user, relationship=relationship)[
                :TAB_ITEMS
            ]
        ),
        "may_prepare": rules.may_prepare(request.user, relationship),
        "today": timezone.localdate(),
    }


def register() -> None:
    from steward.accounts.tabs import AccountTab, register_account_tab

    register_nav(
        NavEntry("Handoffs", "handoffs:handoff-list", "demand", order=70, match_prefix="/handoffs/")
    )
    register_due("handoffs.items_due", handoff_items_due)
    register_search("handoffs.handoffs", handoffs_search)
    register_account_tab(
        AccountTab(
            "handoff", "Handoff", "handoffs/tab_handoff.html", account_tab_context, "overview"
        )
    )
