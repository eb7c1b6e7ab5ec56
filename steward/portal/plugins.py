"""How portal plugs into the shared screens: the vendor tab, the portal home's sections, the
due items of portal users and the daily reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from steward.core.access import principal_for
from steward.core.registry import DueItem, PortalSection, register_due, register_portal_section
from steward.core.schedule import daily, register_periodic
from steward.suppliers.tabs import VendorTab, register_vendor_tab

SECTION_ROWS = 10


def _portal_tab(request: Any, supplier: Any) -> dict[str, Any]:
    from steward.portal.views import portal_tab_context

    return portal_tab_context(request, supplier)


def _scorecards_context(user: Any) -> dict[str, Any]:
    from steward.portal.selectors import shared_scorecards

    return {"cards": list(shared_scorecards(user=user)[:SECTION_ROWS])}


def _scorecards_count(user: Any) -> int:
    from steward.portal.selectors import shared_scorecards

    return shared_scorecards(user=user).count()


def _actions_context(user: Any) -> dict[str, Any]:
    from steward.portal.selectors import shared_actions

    return {"actions": list(shared_actions(user=user)[:SECTION_ROWS])}


def _actions_count(user: Any) -> int:
    from steward.portal.selectors import shared_actions

    return shared_actions(user=user).count()


def shared_actions_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Actions shared with a portal user's organization fall due for that portal user."""
    if not principal_for(user).is_external:
        return []  # inside people see their own actions through the reviews app
    from steward.portal.selectors import shared_actions

    return [
        DueItem(
            title=action.title,
            due_on=action.due_on,
            url=reverse("reviews:action-detail", args=[action.pk]),
            kind="Action",
        )
        for action in shared_actions(user=user).filter(due_on__lte=until)
    ]


def register() -> None:
    from steward.portal.tasks import REMINDER_JOB, portal_reminders_run

    register_vendor_tab(
        VendorTab("portal", "portal/vendor_tab.html", _portal_tab, after="contacts")
    )
    register_portal_section(
        PortalSection(
            name="shared_scorecards",
            title="Scorecards shared with you",
            template="portal/sections/scorecards.html",
            context=_scorecards_context,
            count=_scorecards_count,
            order=60,
        )
    )
    register_portal_section(
        PortalSection(
            name="shared_actions",
            title="Actions for you",
            template="portal/sections/actions.html",
            context=_actions_context,
            count=_actions_count,
            order=70,
        )
    )
    register_due("portal.shared_actions", shared_actions_due)
    register_periodic(
        REMINDER_JOB, portal_reminders_run, daily(hour=lambda: settings.STEWARD_DIGEST_HOUR)
    )
