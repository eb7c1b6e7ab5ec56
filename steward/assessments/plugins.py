"""How assessments plug into the shared screens: the menu, due items, search, the portal home,
the risk dashboard and a vendor's risk tab, and the daily reassessment job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.core.access import principal_for
from steward.core.registry import (
    DueItem,
    NavEntry,
    PortalSection,
    SearchHit,
    register_due,
    register_nav,
    register_portal_section,
    register_search,
)

DUE_LIMIT = 50
PANEL_LIMIT = 10


def assessments_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """A portal user's open assessments with their due dates; for IT security (and
    administrators) the submitted assessments awaiting review."""
    from steward.assessments import selectors
    from steward.assessments.services.assessments import may_review

    principal = principal_for(user)
    if principal.is_external:
        rows = selectors.open_for_vendor_user(user=user).filter(due_on__lte=until)
        return [
            DueItem(
                title=f"Security assessment: {a.template_version.template.name}",
                due_on=a.due_on,
                url=a.portal_url(),
                kind="assessment",
                detail="overdue" if a.due_on < today else a.get_status_display(),
            )
            for a in rows[:DUE_LIMIT]
            if a.due_on is not None
        ]
    if not may_review(user):
        return []
    return [
        DueItem(
            title=f"Review {a} of {a.supplier}",
            due_on=a.submitted_at.date() if a.submitted_at else today,
            url=a.get_absolute_url(),
            kind="assessment_review",
            detail=a.get_status_display(),
        )
        for a in selectors.awaiting_review(user=user).order_by("submitted_at", "pk")[:DUE_LIMIT]
    ]


def assessments_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    from steward.assessments import selectors

    words = {"q": query}
    rows = selectors.assessment_filterset(user=user, filters=words).qs[:limit]
    external = principal_for(user).is_external
    return [
        SearchHit(
            kind="assessment",
            title=f"{a} · {a.supplier}",
            url=a.portal_url() if external else a.get_absolute_url(),
            detail=a.get_status_display(),
        )
        for a in rows
    ]


def _portal_context(user: Any) -> dict[str, Any]:
    from steward.assessments import selectors

    return {"assessments": list(selectors.open_for_vendor_user(user=user)[:DUE_LIMIT])}


def _portal_count(user: Any) -> int:
    from steward.assessments import selectors

    return int(selectors.open_for_vendor_user(user=user).count())


def _overdue_panel(user: Any, today: dt.date) -> dict[str, Any]:
    from steward.assessments import selectors

    overdue = selectors.overdue_assessments(user=user, today=today)
    return {
        "overdue": list(overdue[:PANEL_LIMIT]),
        "overdue_count": overdue.count(),
        "today": today,
    }


def _vendor_section(user: Any, supplier: Any, today: dt.date) -> dict[str, Any]:
    from steward.assessments import selectors

    return {
        "assessments": list(selectors.vendor_assessments(user=user, supplier_id=supplier.pk)[:20]),
        "supplier": supplier,
        "today": today,
    }


def register() -> None:
    from steward.assessments.tasks import REASSESSMENTS_JOB, reassessments_draft
    from steward.core.schedule import daily, register_periodic
    from steward.risk.panels import (
        RiskPanel,
        VendorSection,
        register_dashboard_panel,
        register_vendor_section,
    )

    register_nav(
        NavEntry(
            "Assessments",
            "assessments:assessment-list",
            "supply",
            order=57,
            match_prefix="/assessments/",
        )
    )
    register_due("assessments", assessments_due)
    register_search("assessments", assessments_search)
    register_portal_section(
        PortalSection(
            name="assessments",
            title="Assessments to answer",
            template="assessments/portal/_section.html",
            context=_portal_context,
            count=_portal_count,
            order=10,
        )
    )
    register_dashboard_panel(
        RiskPanel(
            name="overdue_assessments",
            title="Overdue assessments",
            template="assessments/_risk_panel.html",
            context=_overdue_panel,
            order=30,
        )
    )
    register_vendor_section(
        VendorSection(
            name="assessments",
            title="Security assessments",
            template="assessments/_vendor_section.html",
            context=_vendor_section,
            order=20,
        )
    )
    register_periodic(REASSESSMENTS_JOB, reassessments_draft, daily(hour=5))
