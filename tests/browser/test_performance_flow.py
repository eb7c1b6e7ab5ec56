"""Measured performance's acceptance flow in a real browser.

A stakeholder answers the quarter's survey; the administrator closes the period; the vendor's
standing drops from "good" to "poor" and an improvement plan is required; an issue the vendor
manager raised is escalated by the background job once its response target passes; the next
business review's agenda is prepared and its pack downloaded as a PDF.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from steward.core.access import Access
from steward.issues.models import Issue
from steward.issues.services import escalation_level_add, issues_escalate_overdue
from steward.parties.choices import Side, TeamRole
from steward.parties.models import RelationshipMember
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory
from steward.reviews.services_reviews import review_schedule
from steward.scorecards.choices import PlanStatus
from steward.scorecards.models import ImprovementPlan, Measurement, Scorecard, ScorecardTemplate
from steward.scorecards.services.periods import period_close, period_open
from steward.scorecards.services.surveys import surveys_send
from steward.scorecards.services.templates import period_bounds, templates_ensure_defaults
from tests.browser.test_contract_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# How the vendor did: the earlier quarter well, the quarter to close badly.
GOOD = {
    "on_time_delivery_pct": "97",
    "defect_rate_pct": "1",
    "invoice_accuracy_pct": "99",
    "price_variance_pct": "2",
}
BAD = {
    "on_time_delivery_pct": "82",
    "defect_rate_pct": "4.6",
    "invoice_accuracy_pct": "91",
    "price_variance_pct": "9",
}


def _measure(relationship: Any, owner: Any, day: dt.date, values: dict[str, str]) -> None:
    for key, value in values.items():
        Measurement.objects.create(
            relationship=relationship,
            measure=key,
            measured_on=day,
            value=Decimal(value),
            entered_by=owner,
        )


def test_a_survey_and_a_close_drop_the_standing_an_issue_escalates_and_a_pack_is_made(
    live_server: Any, page: Page
) -> None:
    base = live_server.url
    admin = UserFactory(username="admin.perf", roles=[JobRole.ADMINISTRATOR])
    head = UserFactory(username="head.procurement", roles=[JobRole.VENDOR_MANAGER])
    owner = UserFactory(username="vm.perf", roles=[JobRole.VENDOR_MANAGER], profile__manager=head)
    reviewer = UserFactory(username="legal.perf", profile__function=Function.LEGAL)
    vendor = OrganizationFactory(legal_name="Quillon Logistics")
    relationship = RelationshipFactory(organization=vendor, side=Side.SUPPLY, owner=owner)
    RelationshipMember.objects.create(
        relationship=relationship, user=reviewer, access=Access.REVIEW, role=TeamRole.LEGAL
    )
    templates_ensure_defaults(admin)
    template = ScorecardTemplate.objects.get(side=Side.SUPPLY, is_default=True)
    today = timezone.localdate()
    last_start, _ = period_bounds(template.period_kind, today - dt.timedelta(days=100))
    earlier_start, _ = period_bounds(template.period_kind, last_start - dt.timedelta(days=1))

    # Given a good earlier quarter, closed, and a bad last quarter waiting for its survey
    earlier = period_open(template=template, starts_on=earlier_start)
    _measure(relationship, owner, earlier_start + dt.timedelta(days=20), GOOD)
    period_close(period=earlier)
    before = Scorecard.objects.get(period=earlier, relationship=relationship)
    assert before.standing in {"excellent", "good"}
    last = period_open(template=template, starts_on=last_start)
    _measure(relationship, owner, last_start + dt.timedelta(days=20), BAD)
    assert surveys_send(period=last) >= 1

    # When the legal reviewer rates the vendor in "My surveys"
    sign_in(page, base, "legal.perf")
    page.goto(f"{base}/scorecards/surveys/")
    survey = page.get_by_role("region", name="Quillon Logistics")
    survey.get_by_label("1", exact=True).check()
    survey.get_by_label("Comment").fill("Slow to answer, two late deliveries.")
    survey.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("Thank you, your rating is recorded.")).to_be_visible()

    # And the administrator closes the quarter
    sign_in(page, base, "admin.perf")
    page.goto(f"{base}/scorecards/periods/{last.pk}/")
    page.get_by_role("button", name="Close period now").click()
    expect(page.get_by_text(f"{last.label} closed: its cards are frozen.")).to_be_visible()

    # Then the vendor manager sees the standing dropped to "poor" with a plan required
    card = Scorecard.objects.get(period=last, relationship=relationship)
    assert card.standing == "poor"
    sign_in(page, base, "vm.perf")
    page.goto(f"{base}/relationships/{relationship.pk}/scorecard/")
    expect(page.get_by_text("poor", exact=True).first).to_be_visible()
    plans = page.locator("#plans")
    expect(plans.get_by_role("heading", name="Improvement plan: Quillon Logistics")).to_be_visible()
    plan = ImprovementPlan.objects.get(relationship=relationship, status=PlanStatus.OPEN)
    assert plan.card == card

    # When the vendor manager raises a critical issue and nobody acknowledges it in time
    escalation_level_add(
        actor=owner, relationship=relationship, level=1, name="Head of procurement",
        internal_contact=head,
    )  # fmt: skip
    page.goto(f"{base}/relationships/{relationship.pk}/issues/new/")
    page.get_by_label("Title").fill("Warehouse shipments stopped")
    page.get_by_label("Category").select_option("delivery")
    page.get_by_label("Severity").select_option("critical")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Issue raised.")).to_be_visible()
    issue = Issue.objects.get(relationship=relationship, title="Warehouse shipments stopped")
    # (the hourly job, run by a worker past the response target)
    assert issues_escalate_overdue(now=issue.respond_by + dt.timedelta(hours=1)) == 1

    # Then the issue page shows the escalation
    page.reload()
    expect(page.get_by_text("Escalated to level 1", exact=True)).to_be_visible()

    # When the next business review's agenda is prepared and its pack downloaded
    review = review_schedule(
        actor=owner, relationship=relationship, scheduled_on=today + dt.timedelta(days=10)
    )
    page.goto(f"{base}/reviews/{review.pk}/")
    page.get_by_role("button", name="Prepare the agenda").click()
    expect(page.get_by_role("button", name="Refresh the agenda")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF pack").click()
    content = download_info.value.path().read_bytes()

    # Then it is a PDF naming the review and the open issue
    assert content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert review.title in " ".join(text.split())
    assert "Warehouse shipments stopped" in " ".join(text.split())
