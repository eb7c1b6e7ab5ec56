"""Helpers for the scoring engine's tests: a template through its service, and the raw data a
period reads (recorded measurements, judged SLA periods, issues, survey ratings) written
directly, so each test states exactly what the engine must find."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.contracts.models import ServiceLevel, SlaPeriodResult
from steward.contracts.services import contract_create, service_level_add
from steward.issues.tests.factories import IssueFactory
from steward.parties.models import Relationship
from steward.parties.tests.factories import RelationshipFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.scorecards.models import (
    Measurement,
    ScorecardPeriod,
    ScorecardTemplate,
    Survey,
    SurveyResponse,
)
from steward.scorecards.services.templates import template_create

D = Decimal
Q1_START = dt.date(2024, 1, 1)
Q1_END = dt.date(2024, 3, 31)
MID_Q1 = dt.date(2024, 2, 15)

# delivery 40 (linear 80 -> 100), quality 30 (defect rate, linear 5 -> 0), relationship 30 (survey)
CRITERIA: list[dict[str, Any]] = [
    {
        "code": "delivery",
        "name": "On-time delivery",
        "category": "delivery",
        "weight": 40,
        "measure": "on_time_delivery_pct",
        "rule_kind": "linear",
        "rule": {"floor": "80", "target": "100"},
    },
    {
        "code": "quality",
        "name": "Defect rate",
        "category": "quality",
        "weight": 30,
        "measure": "defect_rate_pct",
        "rule_kind": "linear",
        "rule": {"floor": "5", "target": "0"},
    },
    {
        "code": "relationship",
        "name": "Stakeholder rating",
        "category": "relationship",
        "weight": 30,
        "measure": "survey",
        "rule_kind": "linear",
        "rule": {"floor": "1", "target": "5"},
    },
]


def admin_user() -> Any:
    return UserFactory(roles=[JobRole.ADMINISTRATOR])


def make_template(
    actor: Any = None, *, criteria: list[dict[str, Any]] | None = None, **fields: Any
) -> ScorecardTemplate:
    values: dict[str, Any] = {
        "name": "Supplier scorecard",
        "side": "supply",
        "period_kind": "quarterly",
        "is_default": True,
    }
    values.update(fields)
    return template_create(actor=actor or admin_user(), criteria=criteria or CRITERIA, **values)


def relationships(count: int, side: str = "supply") -> list[Relationship]:
    return [RelationshipFactory(side=side) for _ in range(count)]


def measure(
    relationship: Relationship, key: str, value: str, on: dt.date = MID_Q1, **fields: Any
) -> Measurement:
    return Measurement.objects.create(
        relationship=relationship,
        measure=key,
        measured_on=on,
        value=D(value),
        entered_by=relationship.owner,
        **fields,
    )


def service_level(relationship: Relationship, actor: Any) -> ServiceLevel:
    contract = contract_create(
        actor=actor, relationship=relationship, title="Hosting", kind="master"
    )
    return service_level_add(
        actor=actor,
        contract=contract,
        name="Availability",
        metric="availability",
        target=D("99.9"),
        direction="at_least",
    )


def sla_result(
    level: ServiceLevel,
    start: dt.date,
    attainment: str | None,
    *,
    breached: bool = False,
    no_data: bool = False,
) -> SlaPeriodResult:
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return SlaPeriodResult.objects.create(
        service_level=level,
        period_start=start,
        period_end=end,
        value=None if attainment is None else D(attainment),
        attainment=None if attainment is None else D(attainment),
        breached=breached,
        no_data=no_data,
        service_days=(end - start).days + 1,
        period_days=(end - start).days + 1,
        closed=True,
        computed_at=timezone.now(),
    )


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def issue(
    relationship: Relationship,
    opened: dt.datetime,
    *,
    resolve_hours: int = 72,
    resolved: dt.datetime | None = None,
) -> Any:
    return IssueFactory(
        relationship=relationship,
        opened_at=opened,
        resolve_by=opened + dt.timedelta(hours=resolve_hours),
        resolved_at=resolved,
        status="resolved" if resolved else "new",
    )


def ratings(period: ScorecardPeriod, relationship: Relationship, code: str, *values: int) -> Survey:
    survey, _ = Survey.objects.get_or_create(
        period=period,
        relationship=relationship,
        defaults={"sent_at": timezone.now(), "closes_on": period.ends_on},
    )
    criterion = period.version.criteria.get(code=code)
    for value in values:
        SurveyResponse.objects.create(
            survey=survey,
            criterion=criterion,
            respondent=UserFactory(),
            rating=value,
            answered_at=timezone.now(),
        )
    return survey
