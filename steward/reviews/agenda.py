"""A business review's agenda: sections assembled from what Steward knows about the relationship.

Each section is built by a function registered here under a key. The engines below reviews
(scorecards, contracts, issues, plans) have their sections registered by this module; a side
(spend, on the supply side) registers its own with ``register_agenda_section`` from its plugins.

A built section is plain JSON kept on the review, so the page and the PDF pack show what the
meeting saw, however the numbers move later. Every section has one shape, so any page can
render any section without knowing where it came from::

    {"key", "title", "summary", "columns": [...], "rows": [[...], ...], "data": {...}}

``rows`` hold display text; ``data`` holds the values for machines (the API).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from steward.contracts.models import SlaPeriodResult
from steward.core.display import person_name
from steward.issues.choices import IssueStatus, Severity
from steward.issues.models import Issue
from steward.plans.choices import InitiativeStatus
from steward.plans.models import Initiative
from steward.reviews.choices import ActionSide, ActionStatus
from steward.reviews.models import ActionItem, BusinessReview
from steward.scorecards.models import Scorecard


@dataclass(frozen=True)
class SectionContent:
    """What a builder returns: a sentence, an optional table, and the values behind them."""

    summary: str = ""
    columns: tuple[str, ...] = ()
    rows: list[list[Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


Builder = Callable[[BusinessReview, dt.date], SectionContent]


@dataclass(frozen=True)
class AgendaSection:
    key: str
    title: str
    builder: Builder
    order: int = 100


_sections: dict[str, AgendaSection] = {}


def register_agenda_section(key: str, title: str, builder: Builder, *, order: int = 100) -> None:
    """Add a section to every agenda prepared from now on; the same key again replaces it."""
    _sections[key] = AgendaSection(key=key, title=title, builder=builder, order=order)


def agenda_sections() -> list[AgendaSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def agenda_build(review: BusinessReview, *, today: dt.date) -> list[dict[str, Any]]:
    """Every registered section built for ``review``, as the JSON the review keeps."""
    built = []
    for section in agenda_sections():
        content = section.builder(review, today)
        built.append(
            {
                "key": section.key,
                "title": section.title,
                "summary": content.summary,
                "columns": list(content.columns),
                "rows": [[_text(cell) for cell in row] for row in content.rows],
                "data": content.data,
            }
        )
    # Decimals and dates become text the same way wherever the agenda is read back.
    loaded: list[dict[str, Any]] = json.loads(json.dumps(built, cls=DjangoJSONEncoder))
    return loaded


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- the engines' sections -----------------------------------------------------------------------


def scorecard_section(review: BusinessReview, today: dt.date) -> SectionContent:
    """The relationship's latest card: its score, standing, criteria and what had no data."""
    card = (
        Scorecard.objects.filter(relationship_id=review.relationship_id)
        .select_related("period__template")
        .order_by("-period__starts_on", "-pk")
        .first()
    )
    if card is None:
        return SectionContent(summary="No scorecard has been computed for this relationship yet.")
    criteria = list(card.criteria.select_related("criterion").order_by("criterion__position"))
    missing = [str(code) for code in card.missing or []]
    score = "no data" if card.score is None else f"{card.score}"
    state = "closed" if card.period.is_closed else "open, still moving"
    summary = f"{card.period.label} ({state}): score {score}"
    if card.standing:
        summary += f", standing “{card.standing}”"
    if missing:
        summary += f"; no data for {', '.join(missing)}"
    return SectionContent(
        summary=summary + ".",
        columns=("Criterion", "Score", "Weight applied", "Raw value"),
        rows=[
            [
                c.criterion.name,
                c.score if c.score is not None else "no data",
                c.applied_weight,
                c.raw,
            ]
            for c in criteria
        ],
        data={
            "card": card.pk,
            "period": card.period.label,
            "period_closed": card.period.is_closed,
            "template": card.period.template.name,
            "score": card.score,
            "standing": card.standing,
            "missing": missing,
            "criteria": [
                {
                    "code": c.criterion.code,
                    "name": c.criterion.name,
                    "score": c.score,
                    "applied_weight": c.applied_weight,
                    "raw": c.raw,
                }
                for c in criteria
            ],
        },
    )


def sla_section(review: BusinessReview, today: dt.date) -> SectionContent:
    """The latest judged period of every current service level on the relationship's contracts."""
    latest_start = (
        SlaPeriodResult.objects.filter(service_level=OuterRef("service_level"))
        .order_by("-period_start")
        .values("period_start")[:1]
    )
    results = list(
        SlaPeriodResult.objects.filter(
            service_level__contract__relationship_id=review.relationship_id,
            service_level__archived_at__isnull=True,
            service_level__contract__archived_at__isnull=True,
            period_start=Subquery(latest_start),
        )
        .select_related("service_level__contract")
        .order_by("service_level__contract__title", "service_level__name", "pk")
    )
    if not results:
        return SectionContent(summary="No service level has been measured on its contracts yet.")
    judged = [r for r in results if not r.no_data and r.attainment is not None]
    breached = sum(1 for r in results if r.breached)
    summary = f"{len(results)} service levels; {breached} breached in their latest period"
    if judged:
        mean = sum((r.attainment for r in judged if r.attainment is not None), Decimal(0))
        summary += f"; mean attainment {(mean / len(judged)).quantize(Decimal('0.01'))} %"
    return SectionContent(
        summary=summary + ".",
        columns=("Contract", "Service level", "Period", "Value", "Target", "Attainment %", "Met"),
        rows=[
            [
                r.service_level.contract.title,
                r.service_level.name,
                f"{r.period_start:%Y-%m-%d} to {r.period_end:%Y-%m-%d}",
                "no data" if r.no_data else r.value,
                r.service_level.target,
                r.attainment,
                "no data" if r.no_data else ("breached" if r.breached else "met"),
            ]
            for r in results
        ],
        data={
            "levels": [
                {
                    "service_level": r.service_level_id,
                    "contract": r.service_level.contract_id,
                    "name": r.service_level.name,
                    "period_start": r.period_start,
                    "period_end": r.period_end,
                    "attainment": r.attainment,
                    "breached": r.breached,
                    "no_data": r.no_data,
                    "closed": r.closed,
                }
                for r in results
            ]
        },
    )


OPEN_ISSUE_STATUSES = (IssueStatus.NEW, IssueStatus.ACKNOWLEDGED, IssueStatus.IN_PROGRESS)


def issues_section(review: BusinessReview, today: dt.date) -> SectionContent:
    """Open issues counted by severity and listed (up to 50), the most urgent first."""
    open_issues = Issue.objects.filter(
        relationship_id=review.relationship_id,
        status__in=OPEN_ISSUE_STATUSES,
        archived_at__isnull=True,
    )
    counts = dict(
        open_issues.values_list("severity").annotate(n=Count("pk")).values_list("severity", "n")
    )
    by_severity = {severity.value: counts.get(severity.value, 0) for severity in Severity}
    total = sum(by_severity.values())
    now = timezone.now()
    listed = list(open_issues.select_related("owner").order_by("resolve_by", "pk")[:50])
    overdue = [i for i in listed if i.resolve_by < now]
    if total == 0:
        return SectionContent(summary="No open issues.", data={"open": by_severity, "overdue": []})
    parts = ", ".join(f"{n} {Severity(s).label.lower()}" for s, n in by_severity.items() if n)
    late = open_issues.filter(resolve_by__lt=now).count()
    summary = f"{total} open ({parts}); {late} past their resolution target."
    return SectionContent(
        summary=summary,
        columns=(
            "Issue",
            "Severity",
            "Status",
            "Resolve by",
            "Overdue",
            "Owner",
            "Escalation level",
        ),
        rows=[
            [
                f"{i.reference} {i.title}",
                i.get_severity_display(),
                i.get_status_display(),
                i.resolve_by,
                "yes" if i.resolve_by < now else "no",
                person_name(i.owner),
                i.escalation_level,
            ]
            for i in listed
        ],
        data={
            "open": by_severity,
            "overdue": [
                {
                    "issue": i.pk,
                    "reference": i.reference,
                    "title": i.title,
                    "resolve_by": i.resolve_by,
                }
                for i in overdue
            ],
        },
    )


IN_FLIGHT = (InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS, InitiativeStatus.ON_HOLD)


def initiatives_section(review: BusinessReview, today: dt.date) -> SectionContent:
    initiatives = list(
        Initiative.objects.filter(
            relationship_id=review.relationship_id, status__in=IN_FLIGHT, archived_at__isnull=True
        )
        .select_related("owner")
        .order_by("ends_on", "title", "pk")[:50]
    )
    if not initiatives:
        return SectionContent(summary="No initiatives in flight.", data={"initiatives": []})
    return SectionContent(
        summary=f"{len(initiatives)} initiatives planned, in progress or on hold.",
        columns=("Initiative", "Kind", "Status", "Owner", "Ends"),
        rows=[
            [i.title, i.get_kind_display(), i.get_status_display(), person_name(i.owner), i.ends_on]
            for i in initiatives
        ],
        data={
            "initiatives": [
                {"initiative": i.pk, "title": i.title, "status": i.status, "ends_on": i.ends_on}
                for i in initiatives
            ]
        },
    )


def carried_actions_section(review: BusinessReview, today: dt.date) -> SectionContent:
    """Actions still open from the review before this one."""
    if review.previous_id is None:
        return SectionContent(
            summary="No earlier review: nothing carried over.", data={"actions": []}
        )
    actions = list(
        ActionItem.objects.filter(
            review_id=review.previous_id, status=ActionStatus.OPEN, archived_at__isnull=True
        )
        .select_related("owner", "owner_contact")
        .order_by("due_on", "pk")
    )
    if not actions:
        return SectionContent(
            summary="Every action of the last review is done or dropped.", data={"actions": []}
        )
    overdue = sum(1 for a in actions if a.due_on < today)
    return SectionContent(
        summary=f"{len(actions)} actions still open from the last review, {overdue} overdue.",
        columns=("Action", "Side", "Owner", "Due", "Overdue"),
        rows=[
            [a.title, a.get_side_display(), action_owner_name(a), a.due_on, _overdue(a, today)]
            for a in actions
        ],
        data={
            "actions": [
                {"action_item": a.pk, "title": a.title, "due_on": a.due_on, "side": a.side}
                for a in actions
            ]
        },
    )


def _overdue(action: ActionItem, today: dt.date) -> str:
    return f"{(today - action.due_on).days} days" if action.due_on < today else ""


def action_owner_name(action: ActionItem) -> str:
    if action.side == ActionSide.THEIRS:
        return str(action.owner_contact) if action.owner_contact_id else ""
    return person_name(action.owner)


def register_engine_sections() -> None:
    register_agenda_section("scorecard", "Scorecard", scorecard_section, order=10)
    register_agenda_section("sla", "Service levels", sla_section, order=20)
    register_agenda_section("issues", "Open issues", issues_section, order=30)
    register_agenda_section("initiatives", "Initiatives in flight", initiatives_section, order=50)
    register_agenda_section(
        "carried_actions", "Open actions from the last review", carried_actions_section, order=60
    )
