"""Rows the business review tests read the agenda from, written directly through the models of
scorecards, contracts, issues and plans (their own services are tested in their apps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, ServiceLevel, SlaPeriodResult
from steward.issues.choices import IssueCategory, IssueStatus, Severity
from steward.issues.models import Issue
from steward.parties.models import Relationship
from steward.plans.choices import InitiativeKind
from steward.plans.models import Initiative
from steward.scorecards.choices import PeriodKind, PeriodStatus, RuleKind
from steward.scorecards.models import (
    CriterionScore,
    Scorecard,
    ScorecardCriterion,
    ScorecardPeriod,
    ScorecardTemplate,
    TemplateVersion,
)

D = Decimal


def scorecard(relationship: Relationship, *, starts_on: dt.date, score: str | None) -> Scorecard:
    """A closed quarterly card with two criteria; delivery had no data."""
    template, _ = ScorecardTemplate.objects.get_or_create(
        name="Vendor performance", defaults={"side": relationship.side}
    )
    version, _ = TemplateVersion.objects.get_or_create(
        template=template, number=1, defaults={"effective_from": dt.date(2020, 1, 1)}
    )
    quality, _ = ScorecardCriterion.objects.get_or_create(
        version=version,
        code="quality",
        defaults={
            "name": "Quality",
            "category": "quality",
            "weight": 60,
            "rule_kind": RuleKind.LINEAR,
            "position": 1,
        },
    )
    delivery, _ = ScorecardCriterion.objects.get_or_create(
        version=version,
        code="delivery",
        defaults={
            "name": "On-time delivery",
            "category": "delivery",
            "weight": 40,
            "rule_kind": RuleKind.LINEAR,
            "position": 2,
        },
    )
    period = ScorecardPeriod.objects.create(
        template=template,
        version=version,
        kind=PeriodKind.QUARTERLY,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=89),
        status=PeriodStatus.CLOSED,
    )
    card = Scorecard.objects.create(
        period=period,
        relationship=relationship,
        score=None if score is None else D(score),
        standing="watch" if score is not None else "",
        missing=["delivery"],
        computed_at=timezone.now(),
    )
    CriterionScore.objects.create(
        card=card,
        criterion=quality,
        raw=D("1.5"),
        score=None if score is None else D(score),
        applied_weight=D(1),
    )
    CriterionScore.objects.create(card=card, criterion=delivery, applied_weight=D(0))
    return card


def contract_with_levels(relationship: Relationship) -> tuple[Contract, list[ServiceLevel]]:
    contract = Contract.objects.create(
        relationship=relationship,
        title="Hosting",
        kind=ContractKind.MASTER,
        owner=relationship.owner,
        status=ContractStatus.ACTIVE,
    )
    levels = [
        ServiceLevel.objects.create(
            contract=contract,
            name=name,
            metric=metric,
            target=D("99.5"),
            direction="at_least",
            unit="%",
        )
        for name, metric in (("Availability", "availability"), ("Response", "response"))
    ]
    return contract, levels


def period_result(
    level: ServiceLevel, start: dt.date, *, attainment: str | None, breached: bool = False
) -> SlaPeriodResult:
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return SlaPeriodResult.objects.create(
        service_level=level,
        period_start=start,
        period_end=end,
        value=None if attainment is None else D(attainment),
        attainment=None if attainment is None else D(attainment),
        breached=breached,
        no_data=attainment is None,
        service_days=(end - start).days + 1,
        period_days=(end - start).days + 1,
        closed=True,
        computed_at=timezone.now(),
    )


_issue_number = iter(range(1, 10_000))


def issue(
    relationship: Relationship,
    *,
    severity: str = Severity.HIGH,
    status: str = IssueStatus.NEW,
    overdue: bool = False,
    title: str = "",
) -> Issue:
    opened = timezone.now() - dt.timedelta(days=10 if overdue else 0)
    number = next(_issue_number)
    return Issue.objects.create(
        relationship=relationship,
        reference=f"ISS-R{number:05d}",
        title=title or f"Issue {number}",
        category=IssueCategory.QUALITY,
        severity=severity,
        owner=relationship.owner,
        reported_by=relationship.owner,
        status=status,
        opened_at=opened,
        respond_by=opened + dt.timedelta(hours=8),
        resolve_by=opened + dt.timedelta(hours=72),
    )


def initiative(relationship: Relationship, *, status: str, title: str) -> Initiative:
    return Initiative.objects.create(
        relationship=relationship,
        title=title,
        kind=InitiativeKind.COST_DOWN,
        status=status,
        owner=relationship.owner,
    )
