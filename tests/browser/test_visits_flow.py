"""A customer visit in a real browser: the account manager opens the account's visit brief,
then records the post-visit note in one step (the sponsor met and now a champion, a new action
agreed, an open one done) and finds last met, the sentiment and the actions updated on the
account plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from steward.accountplans import services as plan_services
from steward.accountplans.choices import Sentiment
from steward.parties.tests.factories import ContactFactory, OrganizationFactory, RelationshipFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.reviews.services_reviews import action_item_add
from steward.visits.models import Visit
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_account_manager_prepares_and_records_a_visit(live_server: Any, page: Page) -> None:
    manager = UserFactory(
        username="karl", first_name="Karl", last_name="Ostrom", roles=[JobRole.ACCOUNT_MANAGER]
    )
    customer = OrganizationFactory(legal_name="Nordlicht Foods AG", display_name="Nordlicht Foods")
    account = RelationshipFactory(organization=customer, side="demand", owner=manager)
    sponsor = ContactFactory(organization=customer, first_name="Ida", last_name="Berg")
    today = timezone.localdate()
    plan = plan_services.plan_create(
        actor=manager,
        relationship=account,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=355),
        title="Nordlicht 2027",
    )
    plan_services.stakeholder_add(
        actor=manager, plan=plan, contact=sponsor, decision_role="executive_sponsor"
    )
    action_item_add(actor=manager, relationship=account, title="Send the price list", due_on=today)
    base = live_server.url
    yesterday = today - dt.timedelta(days=1)

    # The account manager opens the brief on the account's workspace.
    sign_in(page, base, "karl")
    page.goto(f"{base}/accounts/{account.pk}/?tab=brief")
    brief = page.locator("[data-testid=visit-brief]")
    expect(brief.locator("[data-testid=brief-people]").get_by_text("never met")).to_be_visible()
    expect(brief.get_by_text("Send the price list")).to_be_visible()
    expect(
        brief.locator("[data-testid=brief-problems]").get_by_text("No open problem")
    ).to_be_visible()

    # After the visit: one note updates the map and the actions.
    brief.get_by_role("link", name="Record a visit").click()
    page.get_by_label("Visit date").fill(yesterday.isoformat())
    page.get_by_label("Summary").fill("Toured the plant; Ida backs the trial.")
    page.get_by_label("Ida Berg was there").check()
    page.get_by_label("Sentiment of Ida Berg").select_option(label="Champion")
    page.get_by_label("Send the price list").check()
    page.get_by_label("New action 1").fill("Quote the trial line")
    page.get_by_label("Due (action 1)").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Record the visit").click()
    expect(page.get_by_text("Visit recorded: 4 changes")).to_be_visible()
    expect(
        page.locator("[data-testid=brief-visits]").get_by_text("Sentiment of Ida Berg")
    ).to_be_visible()

    # The plan shows last met, the new sentiment and both actions as they now are.
    page.goto(f"{base}{plan.get_absolute_url()}")
    person = page.locator("tr").filter(has_text="Ida Berg").first
    expect(person).to_contain_text("Champion")
    expect(person).to_contain_text(date_format(yesterday))
    actions = page.locator("#actions")
    expect(actions.locator("tr").filter(has_text="Quote the trial line")).to_contain_text("Open")
    visit = Visit.objects.get(relationship=account)
    assert visit.activity.face_to_face
    stakeholder = plan.stakeholders.get()
    assert (stakeholder.last_met_on, stakeholder.sentiment) == (yesterday, Sentiment.CHAMPION)
