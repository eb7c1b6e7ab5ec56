"""How contracts plug into the shared screens: obligations and notice deadlines as due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.contracts import lifecycle
from steward.contracts.models import Contract, Obligation
from steward.contracts.models.obligations import ObligationStatus
from steward.contracts.services.obligations import contract_url
from steward.core.access import Action
from steward.core.registry import DueItem, NavEntry, register_due, register_nav

DUE_LIMIT = 50


def obligations_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open obligations the user owns, overdue ones included."""
    obligations = (
        Obligation.objects.restrict(user, Action.VIEW)
        .active()
        .filter(owner=user, status=ObligationStatus.OPEN, due_on__lte=until)
        .filter(contract__archived_at__isnull=True)
        .select_related("contract")
        .order_by("due_on", "pk")
    )
    return [
        DueItem(
            title=f"{o.title} ({o.contract})",
            due_on=o.due_on,
            url=contract_url(o.contract),
            kind="obligation",
            detail="overdue" if o.due_on < today else o.get_owed_by_display(),
        )
        for o in obligations[:DUE_LIMIT]
    ]


def notice_deadlines_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Notice deadlines still ahead on contracts in force that the user owns."""
    contracts = (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(owner=user, status__in=lifecycle.IN_FORCE)
        .filter(notice_deadline__gte=today, notice_deadline__lte=until)
        .order_by("notice_deadline", "pk")
    )
    return [
        DueItem(
            title=f"Notice deadline: {c}",
            due_on=c.notice_deadline,
            url=contract_url(c),
            kind="notice_deadline",
        )
        for c in contracts[:DUE_LIMIT]
        if c.notice_deadline is not None
    ]


def register() -> None:
    register_nav(NavEntry("Contracts", "contracts:contract-list", "shared", order=40))
    register_nav(
        NavEntry(
            "Renewal reminders",
            "contracts:reminder-policy",
            "admin",
            order=92,
            visible=lambda principal: principal.is_admin,
        )
    )
    register_nav(
        NavEntry(
            "Approval rules",
            "contracts:approval-rule-list",
            "admin",
            order=93,
            match_prefix="/approval-rules/",
        )
    )
    register_due("obligations", obligations_due)
    register_due("notice_deadlines", notice_deadlines_due)
