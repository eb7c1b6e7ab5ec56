"""How issues plug into the shared screens and the lower engines: the menu, due items, search,
the SLA breach listener and the renewal pack's section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from steward.contracts.hooks import register_breach_listener
from steward.contracts.models import Contract
from steward.contracts.selectors_renewals import PackRow, PackSection, register_pack_section
from steward.core.access import Action
from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)
from steward.issues import lifecycle, selectors
from steward.issues.models import Issue
from steward.issues.services import issue_open_for_breach

PACK_SECTION = "issues"
RENEWAL_LOOKBACK = dt.timedelta(days=365)


def issues_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open issues the user owns whose resolution falls due by ``until`` (overdue included)."""
    issues = (
        Issue.objects.restrict(user, Action.VIEW)
        .active()
        .filter(owner=user, status__in=lifecycle.OPEN, resolve_by__date__lte=until)
        .select_related("relationship__organization")
        .order_by("resolve_by", "pk")
    )
    items = []
    for issue in issues[:50]:
        due_on = timezone.localtime(issue.resolve_by).date()
        items.append(
            DueItem(
                title=f"Resolve {issue.reference} {issue.title} "
                f"({issue.relationship.organization})",
                due_on=due_on,
                url=issue.get_absolute_url(),
                kind="issue",
                detail="overdue" if due_on < today else issue.get_severity_display(),
            )
        )
    return items


def search_issues(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.issue_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Issues",
            f"{i.reference} {i.title}",
            i.get_absolute_url(),
            f"{i.relationship.organization} · {i.get_status_display()}",
        )
        for i in rows
    ]


def renewal_pack_issues(user: Any, contract: Contract) -> PackSection:
    """The contract's issues of the last year, open ones first: what to raise at renewal."""
    since = timezone.now() - RENEWAL_LOOKBACK
    found = (
        Issue.objects.restrict(user, Action.VIEW)
        .active()
        .filter(contract=contract)
        .filter(Q(status__in=lifecycle.OPEN) | Q(opened_at__gte=since))
        .order_by("resolved_at", "-opened_at", "pk")[:50]
    )
    issues = list(found)
    rows = [
        PackRow(
            cells=(
                f"{i.reference} {i.title}",
                i.get_severity_display(),
                i.get_status_display(),
                f"{timezone.localtime(i.opened_at):%Y-%m-%d}",
                f"{timezone.localtime(i.resolved_at):%Y-%m-%d}" if i.resolved_at else "",
                f"L{i.escalation_level}" if i.escalation_level else "",
            ),
            url=i.get_absolute_url(),
        )
        for i in issues
    ]
    open_count = sum(1 for i in issues if i.status in lifecycle.OPEN)
    return PackSection(
        title="Issues",
        headers=("Issue", "Severity", "Status", "Opened", "Resolved", "Escalated"),
        rows=rows,
        empty="No issues were raised on this contract in the last year.",
        note=f"{open_count} open." if rows else "",
    )


def register() -> None:
    register_nav(NavEntry("Issues", "issues:issue-list", "shared", order=47))
    register_due("issues", issues_due)
    register_search("issues", search_issues)
    register_breach_listener(issue_open_for_breach)
    register_pack_section(PACK_SECTION, renewal_pack_issues)
