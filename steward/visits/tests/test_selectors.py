"""The pre-visit brief: each section as the user may see it, narrowed to a site, and read in a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.accountplans import services as plan_services
from steward.accountplans.choices import DecisionRole
from steward.accounts.choices import Holder
from steward.accounts.models import WhitespaceCell
from steward.catalog.tests.factories import ProductFamilyFactory
from steward.issues.tests.factories import IssueFactory
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.reviews.services import activity_log
from steward.reviews.services_reviews import action_item_add
from steward.visits.selectors import visit_brief
from steward.visits.tests.factories import VisitWorld, days, note

pytestmark = pytest.mark.django_db


def test_the_brief_of_the_whole_account(cast: Cast, vw: VisitWorld) -> None:
    brief = visit_brief(cast.owner, vw.account)
    assert brief.plan == vw.plan
    # open objectives only, the overdue one flagged
    assert [(o.title, o.overdue) for o in brief.objectives] == [("Cut stoppages", True)]
    # open problems with their age
    assert [(p.title, p.age_days) for p in brief.problems] == [("Late deliveries", 10)]
    # whitespace by potential, largest first
    assert [c.id for c in brief.whitespace] == [vw.cell_hq.pk, vw.cell_smelter.pk]
    assert [o.name for o in brief.opportunities] == ["Furnace lining"]
    assert [(a.subject, a.face_to_face) for a in brief.activities] == [
        ("Lunch with the plant manager", True)
    ]
    # never met first, then the longest since; both flagged
    assert [(s.contact_id, s.not_met_note) for s in brief.stakeholders] == [
        (vw.smelter_person.pk, "never met"),
        (vw.sponsor.pk, "not met in 120 days"),
    ]
    assert [(a.title, a.overdue) for a in brief.actions_ours] == [("Send the audit report", True)]
    assert [(a.title, a.owner) for a in brief.actions_theirs] == [
        ("Share the forecast", str(vw.sponsor))
    ]
    assert brief.visits == []


def test_the_brief_of_one_site(cast: Cast, vw: VisitWorld) -> None:
    brief = visit_brief(cast.owner, vw.account, cast.site_a_private)
    assert [c.id for c in brief.whitespace] == [vw.cell_smelter.pk]
    assert [s.contact_id for s in brief.stakeholders] == [vw.smelter_person.pk]
    # the deal is account-wide (no site): it stays
    assert [o.name for o in brief.opportunities] == ["Furnace lining"]


def test_old_activities_closed_problems_and_won_cells_are_left_out(
    cast: Cast, vw: VisitWorld
) -> None:
    activity_log(
        actor=cast.owner, relationship=vw.account, subject="Long ago", occurred_on=days(-91)
    )
    IssueFactory(relationship=vw.account, status="closed")
    WhitespaceCell.objects.create(
        relationship=vw.account,
        family=ProductFamilyFactory(),
        site=cast.site_a_shared,
        holder=Holder.US,
        potential=Decimal(999999),
    )
    brief = visit_brief(cast.owner, vw.account)
    assert "Long ago" not in [a.subject for a in brief.activities]
    assert len(brief.problems) == 1
    assert Holder.US.label not in [c.holder_label for c in brief.whitespace]


def test_after_a_note_the_brief_shows_it(cast: Cast, vw: VisitWorld) -> None:
    visit = note(cast.owner, vw)
    brief = visit_brief(cast.owner, vw.account)
    sponsor = next(s for s in brief.stakeholders if s.contact_id == vw.sponsor.pk)
    assert (sponsor.last_met_on, sponsor.not_met, sponsor.sentiment) == (
        days(-1),
        False,
        "champion",
    )
    assert brief.visits == [visit]
    assert brief.activities[0].face_to_face
    assert "Quote the trial" in [a.title for a in brief.actions_ours]


def test_an_empty_account_has_an_empty_brief(cast: Cast, vw: VisitWorld) -> None:
    brief = visit_brief(cast.outsider, vw.world.account_b)
    assert brief.plan is None
    for section in (
        brief.objectives,
        brief.problems,
        brief.whitespace,
        brief.opportunities,
        brief.activities,
        brief.stakeholders,
        brief.actions_ours,
        brief.actions_theirs,
        brief.visits,
    ):
        assert section == []


def _more_rows(cast: Cast, vw: VisitWorld, n: int) -> None:
    family = ProductFamilyFactory()
    for i in range(n):
        person = ContactFactory(organization=cast.org_a)
        plan_services.stakeholder_add(
            actor=cast.owner, plan=vw.plan, contact=person, decision_role=DecisionRole.USER
        )
        plan_services.objective_add(actor=cast.owner, plan=vw.plan, title=f"O{i}", owner=cast.owner)
        IssueFactory(relationship=vw.account, opened_at=timezone.now() - dt.timedelta(days=i))
        activity_log(
            actor=cast.owner, relationship=vw.account, subject=f"A{i}", occurred_on=days(-i)
        )
        action_item_add(actor=cast.owner, relationship=vw.account, title=f"T{i}", due_on=days(i))
        WhitespaceCell.objects.create(
            relationship=vw.account,
            family=family if i == 0 else ProductFamilyFactory(),
            site=cast.site_a_private,
            holder=Holder.COMPETITOR,
            potential=Decimal(100 + i),
        )


def _queries(cast: Cast, vw: VisitWorld, user: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        visit_brief(user, vw.account)
    return len(captured)


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_the_brief_reads_a_fixed_number_of_queries(cast: Cast, vw: VisitWorld, role: str) -> None:
    user = cast.user(role)
    note(cast.owner, vw)
    _queries(cast, vw, user)  # the user's principal is loaded once per request
    few = _queries(cast, vw, user)
    _more_rows(cast, vw, 6)
    note(cast.owner, vw, done_actions=[])
    many = _queries(cast, vw, user)
    assert many == few
    assert many <= 12
