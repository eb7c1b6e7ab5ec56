"""Pages: the list with its filters and export, the plan page and checklist, the account tab,
the standard, and the customer PDF that never carries an internal field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.accountplans import pdf
from steward.accountplans.choices import DecisionRole, Sentiment, Visibility
from steward.accountplans.models import AccountPlan
from steward.accountplans.tests.factories import (
    ObjectiveFactory,
    PlanFactory,
    StakeholderFactory,
)
from steward.accounts.tabs import account_tab
from steward.accounts.tests.world import DemandWorld
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_list_shows_score_and_exports(cast: Cast, world: DemandWorld) -> None:
    PlanFactory(relationship=world.account_a, title="Aurora 2026")
    client = web_client(cast.manager)

    page = client.get("/account-plans/")
    assert page.status_code == 200
    assert "Aurora 2026" in page.content.decode()
    assert "missing" in page.content.decode()

    export = client.get("/account-plans/", {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert "Score (%)" in body.splitlines()[0]
    assert "Aurora 2026" in body

    assert "Aurora 2026" not in web_client(cast.outsider).get("/account-plans/").content.decode()
    assert web_client(cast.portal_a).get("/account-plans/").status_code == 404


def test_start_a_plan_from_the_account(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.owner)
    url = f"/accounts/{world.account_a.pk}/plans/new/"
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
            "goals_visibility": "customer",
            "needs_visibility": "customer",
            "map_visibility": "internal",
            "objectives_visibility": "customer",
            "initiatives_visibility": "customer",
            "actions_visibility": "customer",
        },
    )
    assert response.status_code == 200
    assert "The plan ends before it starts." in response.content.decode()
    assert not AccountPlan.objects.exists()


def test_plan_page_shows_checklist_and_gaps(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    detractor = ContactFactory(organization=cast.org_a, first_name="Dora", last_name="Tractor")
    StakeholderFactory(
        plan=plan,
        contact=detractor,
        decision_role=DecisionRole.DECISION_MAKER,
        sentiment=Sentiment.DETRACTOR,
    )

    body = web_client(cast.owner).get(plan.get_absolute_url()).content.decode()

    assert 'data-rule="executive_sponsor" data-met="false"' in body
    assert "Map the customer&#x27;s executive sponsor" in body
    assert "Dora Tractor is a detractor" in body
    assert "Nobody of ours covers Dora Tractor" in body
    assert 'id="section-pipeline"' in body


def test_add_an_objective_from_the_plan_page(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    response = web_client(cast.member).post(
        f"/account-plans/{plan.pk}/objective/new/",
        {
            "objective-title": "Halve lead times",
            "objective-status": "not_started",
            "objective-visibility": "customer",
        },
    )
    assert response.status_code == 302
    assert plan.objectives.get().title == "Halve lead times"


def test_record_a_review(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    today = timezone.localdate()
    response = web_client(cast.owner).post(
        f"/account-plans/{plan.pk}/reviews/new/",
        {
            "review-held_on": today.isoformat(),
            "review-next_review_on": (today + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.last_reviewed_on == today


def test_account_tab_is_registered(cast: Cast, world: DemandWorld) -> None:
    tab = account_tab("plan")
    assert tab is not None

    class Request:
        user = cast.owner

    context = tab.context(Request(), world.account_a)
    assert context["plan"] is None
    assert context["can_start_plan"] is True


def test_standard_page(cast: Cast) -> None:
    body = web_client(cast.outsider).get("/account-plans/standard/").content.decode()
    assert "Reviewed in the last 92 days" in body
    assert "Change the standard" not in body
    assert (
        "Change the standard"
        in web_client(cast.admin).get("/account-plans/standard/").content.decode()
    )


def test_customer_pdf_holds_only_customer_visible_parts(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(
        relationship=world.account_a,
        goals="SHARED-GOAL",
        needs="SECRET-NEED",
        needs_visibility=Visibility.INTERNAL,
        map_visibility=Visibility.CUSTOMER,
    )
    shown = ContactFactory(organization=cast.org_a, first_name="Paula", last_name="Shown")
    hidden = ContactFactory(organization=cast.org_a, first_name="Henry", last_name="Hidden")
    StakeholderFactory(
        plan=plan,
        contact=shown,
        sentiment=Sentiment.DETRACTOR,
        notes="SECRET-NOTE",
        covered_by=cast.member,
    )
    StakeholderFactory(plan=plan, contact=hidden, visibility=Visibility.INTERNAL)
    ObjectiveFactory(plan=plan, title="SHARED-OBJECTIVE", measure="Uptime")
    ObjectiveFactory(plan=plan, title="SECRET-OBJECTIVE", visibility=Visibility.INTERNAL)

    html = pdf.plan_pdf_html(plan, cast.owner)

    assert "SHARED-GOAL" in html
    assert "SHARED-OBJECTIVE" in html
    assert "Paula Shown" in html
    for internal in (
        "SECRET-NEED",
        "SECRET-NOTE",
        "SECRET-OBJECTIVE",
        "Henry Hidden",
        "Detractor",
        "detractor",
        cast.member.username,
        "Open pipeline",
    ):
        assert internal not in html, internal

    response = web_client(cast.owner).get(f"/account-plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert web_client(cast.outsider).get(f"/account-plans/{plan.pk}/pdf/").status_code == 404


def test_the_plan_form_shares_live_sections_with_the_customer(
    cast: Cast, world: DemandWorld
) -> None:
    plan = PlanFactory(relationship=world.account_a)
    client = web_client(cast.owner)
    url = f"/account-plans/{plan.pk}/edit/"
    # The form offers every registered live section, none shared by default
    page = client.get(url).content.decode()
    assert 'name="shared_live_sections" value="pipeline"' in page
    assert 'value="pipeline" checked' not in page
    body = {
        "title": plan.title,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "goals_visibility": "customer",
        "needs_visibility": "customer",
        "map_visibility": "customer",
        "objectives_visibility": "customer",
        "initiatives_visibility": "customer",
        "actions_visibility": "customer",
        "version": plan.version,
    }
    # An unknown section is refused by the form and nothing is shared
    refused = client.post(url, body | {"shared_live_sections": ["secrets"]})
    assert refused.status_code == 200
    assert "secrets is not one of the available choices" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.shared_live_sections == []
    # Sharing the pipeline puts it in the customer's version
    assert client.post(url, body | {"shared_live_sections": ["pipeline"]}).status_code == 302
    plan.refresh_from_db()
    assert plan.shared_live_sections == ["pipeline"]
    assert "Open pipeline" in pdf.plan_pdf_html(plan, cast.owner)
