"""Reads on hand-made data: tallies, warnings, who-haven't-I-met, the health measures and the
dashboard column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.contracts.choices import ContractStatus
from steward.issues.tests.factories import IssueFactory
from steward.parties.models import Relationship
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory, RelationshipFactory
from steward.reviews.tests.factories import ActivityFactory
from steward.satisfaction import measures, selectors
from steward.satisfaction.dashboard import standard_compute
from steward.satisfaction.tallies import tallies_by_account, tallies_by_quarter
from steward.satisfaction.tests.factories import response, tag
from steward.scorecards.tests.factories import (
    ScorecardFactory,
    ScorecardPeriodFactory,
    ScorecardTemplateFactory,
    TemplateVersionFactory,
)

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def test_tallies_one_query_for_many_accounts(cast: Cast, world: DemandWorld) -> None:
    a, b = world.account_a, world.account_b
    for score in (10, 9, 7, 3):  # A: 2 promoters, 1 passive, 1 detractor -> NPS 25
        response(a, "nps", score)
    for score in (5, 4, 2):  # A: CSAT 2 of 3 = 66.7 %
        response(a, "csat", score)
    response(b, "nps", 0)  # B: NPS -100
    response(b, "nps", 10, days_ago=400)  # outside the period
    start = _today() - dt.timedelta(days=365)
    with CaptureQueriesContext(connection) as queries:
        found = tallies_by_account([a.pk, b.pk], start, _today())
    assert len(queries) == 1
    assert found[a.pk].nps.score == Decimal(25)
    assert found[a.pk].csat.pct == Decimal("66.7")
    assert found[b.pk].nps.score == Decimal(-100)
    assert found[b.pk].nps.count == 1


def test_quarters(cast: Cast, world: DemandWorld) -> None:
    a = world.account_a
    response(a, "nps", 10, answered_on=dt.date(2025, 2, 1))
    response(a, "nps", 0, answered_on=dt.date(2025, 5, 1))
    response(a, "nps", 9, answered_on=dt.date(2025, 5, 2))
    quarters = tallies_by_quarter([a.pk])
    assert list(quarters) == [dt.date(2025, 1, 1), dt.date(2025, 4, 1)]
    assert quarters[dt.date(2025, 4, 1)].nps.score == Decimal(0)


def test_summary_per_owner_adds_counts(cast: Cast, world: DemandWorld) -> None:
    second = RelationshipFactory(side="demand", owner=cast.owner)
    response(world.account_a, "nps", 10)
    response(second, "nps", 0)
    response(second, "nps", 1)
    start = _today() - dt.timedelta(days=30)
    rows, overall = selectors.summary(user=cast.manager, start=start, end=_today(), by="owner")
    mine = [r for r in rows if r.key == cast.owner]
    assert [r.accounts for r in mine] == [2]
    # (1 promoter - 2 detractors) / 3 = -33.3, not the mean of 100 and -100
    assert mine[0].tally.nps.score == Decimal("-33.3")
    assert overall.nps.count == 3
    # The peer sees neither account
    rows, overall = selectors.summary(user=cast.outsider, start=start, end=_today())
    assert world.account_a.pk not in [r.key.pk for r in rows]


def test_warnings(cast: Cast, world: DemandWorld) -> None:
    a = world.account_a
    today = _today()
    detractor = response(a, "nps", 4, days_ago=10)
    overdue = IssueFactory(
        relationship=a,
        opened_at=timezone.now() - dt.timedelta(days=10),
        resolve_by=timezone.now() - dt.timedelta(days=2),
    )
    IssueFactory(relationship=a)  # open, not yet due: no warning
    # Health: closed cards 80 then 65 (a drop of 15 > 10)
    template = ScorecardTemplateFactory(side="demand")
    version = TemplateVersionFactory(template=template)
    first = ScorecardPeriodFactory(
        version=version,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 3, 31),
        closed=True,
    )
    second = ScorecardPeriodFactory(
        version=version,
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
        closed=True,
    )
    ScorecardFactory(period=first, relationship=a, score=Decimal(80))
    latest = ScorecardFactory(period=second, relationship=a, score=Decimal(65))
    # Tier 1 (30 days): last face to face 40 days ago
    ActivityFactory(relationship=a, face_to_face=True, occurred_on=today - dt.timedelta(days=40))
    ActivityFactory(relationship=a, face_to_face=False, occurred_on=today)  # a call: not counted
    found = {w.kind: w for w in selectors.warnings_for([a.pk], today=today)}
    assert set(found) == {"detractor", "overdue_problem", "health_decline", "not_met"}
    assert found["detractor"].since == detractor.answered_on
    assert str(detractor.pk) in found["detractor"].url
    assert found["overdue_problem"].url.endswith(f"/issues/{overdue.pk}/")
    assert found["health_decline"].what == "Health score 65, down from 80"
    assert str(latest.pk) in found["health_decline"].url
    assert found["not_met"].since == today - dt.timedelta(days=10)


def test_warnings_nps_down_on_the_quarter_and_none_when_fine(
    cast: Cast, world: DemandWorld
) -> None:
    a = world.account_a
    today = _today()
    quarter = today.replace(day=1, month=today.month - (today.month - 1) % 3)
    before = quarter - dt.timedelta(days=5)
    response(a, "nps", 10, answered_on=before)
    response(a, "nps", 8, answered_on=quarter)
    ActivityFactory(relationship=a, face_to_face=True, occurred_on=today)
    found = selectors.warnings_for([a.pk], today=today)
    assert [w.kind for w in found] == ["nps_decline"]  # 100 then 0; 8 is no detractor
    assert found[0].since == quarter


def test_warnings_query_count_does_not_grow(cast: Cast, world: DemandWorld) -> None:
    ids = [world.account_a.pk, world.account_b.pk]
    with CaptureQueriesContext(connection) as few:
        selectors.warnings_for(ids[:1])
    extra = [RelationshipFactory(side="demand", owner=cast.owner).pk for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        selectors.warnings_for(ids + extra)
    assert len(many) == len(few)


def test_not_met(cast: Cast, world: DemandWorld) -> None:
    a = world.account_a  # tier 1: every 30 days
    today = _today()
    buyer = tag(ContactFactory(organization=cast.org_a, last_name="Buyer"), "buyer")
    sponsor = tag(ContactFactory(organization=cast.org_a, last_name="Sponsor"), "executive_sponsor")
    met = tag(ContactFactory(organization=cast.org_a, last_name="Met"), "decision_maker")
    tag(ContactFactory(organization=cast.org_a, last_name="Tech"), "technical_contact")
    old = ActivityFactory(relationship=a, face_to_face=True, occurred_on=today - dt.timedelta(45))
    old.contacts.add(sponsor)
    recent = ActivityFactory(relationship=a, face_to_face=True, occurred_on=today)
    recent.contacts.add(met)
    call = ActivityFactory(relationship=a, face_to_face=False, occurred_on=today)
    call.contacts.add(buyer)
    rows = selectors.not_met(user=cast.owner, today=today)
    assert [(r.contact.last_name, r.last_met) for r in rows] == [
        ("Buyer", None),
        ("Sponsor", today - dt.timedelta(45)),
    ]
    assert rows[1].cadence == 30
    assert selectors.not_met(user=cast.outsider, today=today) == [] or all(
        r.relationship.pk != a.pk for r in selectors.not_met(user=cast.outsider, today=today)
    )


def test_health_measure_readers(cast: Cast, world: DemandWorld) -> None:
    a, b = world.account_a, world.account_b
    start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    for score in (10, 6):
        response(a, "nps", score, answered_on=dt.date(2025, 2, 1))
    response(a, "csat", 5, answered_on=dt.date(2025, 2, 1))
    end_instant = dt.datetime(2025, 4, 1, tzinfo=timezone.get_current_timezone())
    IssueFactory(relationship=a, opened_at=end_instant - dt.timedelta(days=10))
    IssueFactory(relationship=a, opened_at=end_instant - dt.timedelta(days=20))
    IssueFactory(  # resolved before the end: not open
        relationship=a,
        opened_at=end_instant - dt.timedelta(days=30),
        resolved_at=end_instant - dt.timedelta(days=1),
        status="resolved",
    )
    ActivityFactory(relationship=a, occurred_on=dt.date(2025, 3, 21))
    ActivityFactory(relationship=a, occurred_on=dt.date(2025, 4, 5))  # after the end
    ids = Relationship.objects.filter(pk__in=[a.pk, b.pk]).values("pk")
    assert measures.read_survey_nps(start, end, ids) == {a.pk: Decimal(0)}
    assert measures.read_survey_csat(start, end, ids) == {a.pk: Decimal(100)}
    assert measures.read_open_problems(start, end, ids) == {a.pk: Decimal(2), b.pk: Decimal(0)}
    assert measures.read_problem_age(start, end, ids) == {a.pk: Decimal(15)}
    assert measures.read_days_since_engagement(start, end, ids) == {a.pk: Decimal(10)}


def test_days_to_renewal(cast: Cast, world: DemandWorld) -> None:
    from steward.contracts.models import Contract

    a = world.account_a
    Contract.objects.create(
        relationship=a,
        title="Supply",
        kind="master",
        owner=cast.owner,
        status=ContractStatus.ACTIVE,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 6, 30),
        notice_deadline=dt.date(2025, 5, 31),
    )
    found = measures.read_days_to_renewal(dt.date(2025, 1, 1), dt.date(2025, 3, 31), None)
    assert found[a.pk] == Decimal(61)  # 31 March to 31 May


def test_dashboard_share_of_accounts_meeting_the_standard(cast: Cast, world: DemandWorld) -> None:
    a = world.account_a
    second = RelationshipFactory(side="demand", owner=cast.owner, status="active")
    for score in (10, 10, 9):
        response(a, "nps", score)
    for score in (5, 4, 4):
        response(a, "csat", score)
    response(second, "nps", 10)  # too few responses: does not meet
    found = standard_compute([cast.owner.pk, cast.outsider.pk], _today())
    assert (found[cast.owner.pk].numerator, found[cast.owner.pk].denominator) == (1, 2)
    assert found[cast.owner.pk].value == Decimal(50)
    assert found[cast.owner.pk].display == "1 of 2"
    assert found[cast.outsider.pk].display == "0 of 1"


def test_the_shipped_customer_health_template_scores_this_apps_measures(cast: Cast) -> None:
    from steward.satisfaction.health import HEALTH_CRITERIA
    from steward.scorecards.services.templates import templates_ensure_defaults

    # when the engine makes its shipped templates
    created = {template.name: template for template in templates_ensure_defaults()}
    # then "Customer health" is the demand side's default, on this app's criteria, once
    health = created["Customer health"]
    assert (health.side, health.is_default) == ("demand", True)
    rows = list(health.versions.get().criteria.all())
    assert sum(row.weight for row in rows) == 100
    assert {row.measure for row in rows} == {c["measure"] for c in HEALTH_CRITERIA}
    assert {"survey_csat_pct", "survey_nps", "days_to_renewal"} <= {row.measure for row in rows}
    assert templates_ensure_defaults() == []


def test_plan_section(cast: Cast, world: DemandWorld) -> None:
    from types import SimpleNamespace

    from steward.accountplans.sections import plan_sections
    from steward.satisfaction.plan_section import satisfaction_section

    assert "satisfaction" in [s.key for s in plan_sections()]
    for score in (10, 9, 2):
        response(world.account_a, "nps", score)
    plan = SimpleNamespace(relationship_id=world.account_a.pk)
    shown = satisfaction_section(plan, cast.reviewer, _today())
    assert (shown["tally"].nps.score, shown["tally"].nps.count) == (Decimal("33.3"), 3)
    assert shown["meets"] is None  # no CSAT answers yet
    hidden = satisfaction_section(plan, cast.outsider, _today())
    assert hidden["tally"].nps.count == 0
