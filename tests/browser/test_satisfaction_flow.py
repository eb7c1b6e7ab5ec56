"""Customer satisfaction in a real browser: an account manager sends a survey from the account's
Health tab, the customer answers it through the mailed link as a detractor, and the account
shows the warning."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from steward.parties.choices import RelationshipStatus, Side, Tier
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.satisfaction.models import SatisfactionResponse
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_survey_is_sent_answered_as_a_detractor_and_the_account_warns(
    live_server: Any, page: Page
) -> None:
    manager = UserFactory(
        username="kira",
        first_name="Kira",
        last_name="Lund",
        roles=[JobRole.ACCOUNT_MANAGER],
    )
    customer = OrganizationFactory(legal_name="Polar Foods AG", display_name="Polar Foods")
    account = RelationshipFactory(
        organization=customer,
        side=Side.DEMAND,
        owner=manager,
        tier=Tier.KEY,
        status=RelationshipStatus.ACTIVE,
    )
    ContactFactory(
        organization=customer, first_name="Oda", last_name="Berg", email="oda@polar.example"
    )
    base = live_server.url

    # the account manager sends a survey from the account's Health tab
    sign_in(page, base, "kira")
    page.goto(f"{base}/accounts/{account.pk}/?tab=health")
    page.get_by_role("link", name="Send a survey").click()
    page.get_by_label("Send to").select_option(label="Oda Berg")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Survey sent to oda@polar.example")).to_be_visible()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/survey/" in line).strip()
    path = "/" + link.split("/", 3)[3]

    # the customer answers through the link, without signing in, as a detractor
    page.context.clear_cookies()
    page.goto(f"{base}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Polar Foods")
    page.get_by_role("group", name="How likely are you to recommend us").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name="How satisfied are you").get_by_label(
        "1 · very dissatisfied"
    ).check()
    page.get_by_label("Anything you would like to tell us?").fill("Deliveries keep slipping.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    assert SatisfactionResponse.objects.filter(relationship=account).count() == 2
    # the link works once
    page.goto(f"{base}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("cannot be used")

    # the account shows the detractor warning
    sign_in(page, base, "kira")
    page.goto(f"{base}/accounts/{account.pk}/?tab=health")
    warnings = page.locator("#health-warnings")
    expect(warnings).to_contain_text("Detractor")
    expect(warnings).to_contain_text("scored 2 of 10")
    page.goto(f"{base}/satisfaction/warnings/")
    expect(page.locator("#health-warnings")).to_contain_text("Polar Foods")
