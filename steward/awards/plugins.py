"""What the awards app plugs into the registries below it: the "Evaluation and award" section of
an event's page, the portal's "Awards to confirm", the Supply menu entry, due items (a winner's
confirmation, a proposal to approve), awards in the global search, and the hourly lapse job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

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


def awards_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """A portal user's awards to confirm; for an inside user, the proposals it may approve."""
    from steward.awards import selectors, services
    from steward.sourcing.choices import EventStatus
    from steward.sourcing.models import SourcingEvent

    if principal_for(user).is_external:
        return [
            DueItem(
                title=f"Confirm the award of {a.event.reference} {a.event.title}",
                due_on=timezone.localdate(a.confirm_by),
                url=_portal_url(a),
                kind="award_to_confirm",
                detail=f"by {timezone.localtime(a.confirm_by):%H:%M}",
            )
            for a in selectors.awards_to_confirm(user=user)[:DUE_LIMIT]
            if a.confirm_by is not None and timezone.localdate(a.confirm_by) <= until
        ]
    proposed = SourcingEvent.objects.restrict(user, "view").filter(
        status=EventStatus.AWARD_PROPOSED
    )
    return [
        DueItem(
            title=f"Approve the award of {event.reference} {event.title}",
            due_on=timezone.localdate(event.award_proposed_at or timezone.now()),
            url=event.get_absolute_url(),
            kind="award_to_approve",
        )
        for event in proposed.order_by("award_proposed_at", "pk")[:DUE_LIMIT]
        if services.may_approve(user, event)
    ]


def awards_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    from steward.awards import selectors

    rows = selectors.award_filterset(user=user, filters={"q": query}).qs[:limit]
    external = principal_for(user).is_external
    return [
        SearchHit(
            kind="award",
            title=f"{a.event.reference} {a.event.title} · {a.invitation.supplier}",
            url=_portal_url(a) if external else a.get_absolute_url(),
            detail=a.get_status_display(),
        )
        for a in rows
    ]


def _portal_url(award: Any) -> str:
    from steward.awards.services.notify import portal_award_url

    return portal_award_url(award)


def _portal_context(user: Any) -> dict[str, Any]:
    from steward.awards import selectors

    return {"awards": list(selectors.awards_to_confirm(user=user)[:DUE_LIMIT])}


def _portal_count(user: Any) -> int:
    from steward.awards import selectors

    return int(selectors.awards_to_confirm(user=user).count())


def _section_context(request: Any, event: Any) -> dict[str, Any] | None:
    from steward.awards.views.evaluation import section_context

    return section_context(request, event)


def register() -> None:
    from steward.awards.tasks import LAPSE_JOB, awards_lapse
    from steward.core.schedule import hourly, register_periodic
    from steward.sourcing.sections import EventSection, register_event_section

    register_nav(
        NavEntry("Awards", "awards:award-list", "supply", order=16, match_prefix="/awards/")
    )
    register_event_section(
        EventSection(
            name="evaluation",
            title="Evaluation and award",
            template="awards/_event_section.html",
            context=_section_context,
            order=60,
        )
    )
    register_portal_section(
        PortalSection(
            name="awards",
            title="Awards to confirm",
            template="awards/portal/_section.html",
            context=_portal_context,
            count=_portal_count,
            order=5,
        )
    )
    register_due("awards", awards_due)
    register_search("awards", awards_search)
    register_periodic(LAPSE_JOB, awards_lapse, hourly())
