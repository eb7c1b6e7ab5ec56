"""Badges for initiative and milestone states, coloured by what they mean for the reader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html

from steward.plans.choices import InitiativeStatus, MilestoneStatus

register = template.Library()

INITIATIVE_STYLES = {
    InitiativeStatus.PLANNED: "info",
    InitiativeStatus.IN_PROGRESS: "primary",
    InitiativeStatus.ON_HOLD: "warning",
    InitiativeStatus.DONE: "success",
    InitiativeStatus.CANCELLED: "secondary",
}
MILESTONE_STYLES = {
    MilestoneStatus.OPEN: "light border",
    MilestoneStatus.DONE: "success",
    MilestoneStatus.MISSED: "danger",
}


@register.simple_tag
def initiative_badge(initiative: Any) -> str:
    style = INITIATIVE_STYLES.get(initiative.status, "light")
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', style, initiative.get_status_display()
    )


@register.simple_tag
def milestone_badge(milestone: Any, today: dt.date) -> str:
    """The milestone's status; an open one past its due date says so in words, not only colour."""
    if milestone.status == MilestoneStatus.OPEN and milestone.due_on < today:
        return format_html('<span class="badge text-bg-danger">{}</span>', "Overdue")
    style = MILESTONE_STYLES.get(milestone.status, "light")
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', style, milestone.get_status_display()
    )


@register.filter
def is_overdue(milestone: Any, today: dt.date) -> bool:
    return bool(milestone.status == MilestoneStatus.OPEN and milestone.due_on < today)
