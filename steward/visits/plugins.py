"""What the visits app plugs into the screens below it: the account workspace's "Visit brief"
tab (the brief itself, with links to print it, download it and record a note)."""

from __future__ import annotations

from typing import Any


def account_tab_context(request: Any, relationship: Any) -> dict[str, Any]:
    from steward.visits import rules, selectors

    location = None
    if request.GET.get("location"):
        location = selectors.account_location(relationship, request.GET.get("location"))
    return {
        "brief": selectors.visit_brief(request.user, relationship, location),
        "locations": list(selectors.location_choices(relationship)),
        "may_record": rules.may_record(request.user, relationship),
        "in_tab": True,
    }


def register() -> None:
    from steward.accounts.tabs import AccountTab, register_account_tab

    register_account_tab(
        AccountTab("brief", "Visit brief", "visits/tab_brief.html", account_tab_context, "overview")
    )
