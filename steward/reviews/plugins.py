"""How reviews plugs into the shared screens: the menu, what falls due and global search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)
from steward.reviews import selectors, selectors_reviews


def follow_ups_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Follow-ups of activities the user logged, from today on (a follow-up has no done state,
    so past ones would never leave the list)."""
    activities = (
        selectors.activity_list(user=user)
        .filter(logged_by=user, follow_up_on__gte=today, follow_up_on__lte=until)
        .order_by("follow_up_on", "pk")
    )
    return [
        DueItem(
            title=f"Follow up: {a.subject} ({a.relationship.organization})",
            due_on=a.follow_up_on,
            url=a.get_absolute_url(),
            kind="activity follow-up",
        )
        for a in activities[:50]
        if a.follow_up_on is not None
    ]


def actions_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open action items the user owns, overdue ones included (they stay until done)."""
    return [
        DueItem(
            title=f"{a.title} ({a.relationship.organization})",
            due_on=a.due_on,
            url=a.get_absolute_url(),
            kind="review action",
            detail="overdue" if a.due_on < today else "",
        )
        for a in selectors_reviews.my_open_actions(user=user, until=until)[:50]
    ]


def search_activities(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.activity_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Activities",
            a.subject,
            a.get_absolute_url(),
            f"{a.relationship.organization} · {a.occurred_on:%Y-%m-%d}",
        )
        for a in rows
    ]


def search_reviews(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors_reviews.review_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Business reviews",
            r.title,
            r.get_absolute_url(),
            f"{r.relationship.organization} · {r.get_status_display()} · {r.scheduled_on:%Y-%m-%d}",
        )
        for r in rows
    ]


def register() -> None:
    register_nav(
        NavEntry("Reviews", "reviews:review-list", "shared", order=45, match_prefix="/reviews/")
    )
    register_nav(NavEntry("Activities", "reviews:activity-list", "shared", order=46))
    register_due("activity follow-ups", follow_ups_due)
    register_due("review actions", actions_due)
    register_search("activities", search_activities)
    register_search("reviews", search_reviews)
