"""A security assessment in a real browser: a vendor manager sends it, the vendor's portal user
answers it with an evidence file and submits, IT security rejects one answer and completes it,
the gap becomes a finding, and the finding is closed on the risk app's finding page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.assessments.models import Answer, Assessment, Question
from steward.assessments.tests.factories import small_version
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import PASSWORD, UserFactory
from steward.risk.models import Finding
from steward.suppliers.tests.factories import SupplierFactory
from tests.browser.conftest import PAGE_TIMEOUT_MS, open_menu_entry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVIDENCE = {
    "name": "mfa-policy.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n% Multi-factor authentication policy\n%%EOF\n",
}


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_an_assessment_is_sent_answered_reviewed_and_its_finding_closed(
    live_server: Any, page: Page
) -> None:
    owner = UserFactory(
        username="vera", first_name="Vera", last_name="Lind", roles=[JobRole.VENDOR_MANAGER]
    )
    secops = UserFactory(
        username="sami",
        first_name="Sami",
        last_name="Koski",
        profile__function=Function.IT_SECURITY,
    )
    organization = OrganizationFactory(
        legal_name="Fjord Cloud Hosting AS", display_name="Fjord Cloud", owner=owner
    )
    SupplierFactory(relationship=RelationshipFactory(organization=organization, owner=owner))
    UserFactory(
        username="ola", first_name="Ola", last_name="Berg", profile__organization=organization
    )
    version = small_version(secops, name="Cloud security review")
    questions = {q.ref: q.pk for q in Question.objects.filter(section__template_version=version)}
    base = live_server.url

    # the vendor manager sends the assessment
    sign_in(page, base, "vera")
    open_menu_entry(page, "Assessments")
    page.get_by_role("link", name="New assessment").click()
    page.locator("#id_supplier").select_option(label="Fjord Cloud")
    page.locator("#id_template_version").select_option(label="Cloud security review v1")
    due = timezone.localdate() + dt.timedelta(days=14)
    page.locator("#id_due_on").fill(due.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Assessment sent.")).to_be_visible()
    assessment = Assessment.objects.get()

    # the vendor's portal user answers it with an evidence file and submits
    sign_in(page, base, "ola")
    page.goto(f"{base}/portal/assessments/")
    page.get_by_role("link", name="Cloud security review").click()
    page.locator(f"#q-{questions['A1']}-yes").check()
    page.locator(f"#f-{questions['A1']}").set_input_files(EVIDENCE)
    page.locator(f"#q-{questions['A2']}-1").check()  # quarterly
    page.locator(f"#q-{questions['D1']}-yes").check()
    page.locator(f"#q-{questions['D2']}").fill("We trust the cloud to keep copies.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted. IT security will review your answers.")).to_be_visible()

    # IT security reviews: the evidence is there, one answer is rejected, the rest accepted
    sign_in(page, base, "sami")
    page.goto(f"{base}{assessment.get_absolute_url()}")
    expect(page.get_by_role("link", name="mfa-policy.pdf")).to_be_visible()
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        row = page.locator(f"#answer-{answer.pk}")
        if answer.question.ref == "D2":
            row.get_by_label("Note for D2").fill("Backups need a schedule and an off-site copy.")
            row.get_by_role("button", name="Reject").click()
            expect(page.locator(f"#answer-{answer.pk}").get_by_text("Rejected")).to_be_visible()
        else:
            row.get_by_role("button", name="Accept").click()
            expect(page.locator(f"#answer-{answer.pk}").get_by_text("Accepted")).to_be_visible()
    page.get_by_role("button", name="Complete and raise findings").click()
    expect(page.get_by_text("Assessment completed; its gaps are findings now.")).to_be_visible()
    finding = Finding.objects.get()
    assert finding.severity == "low"

    # later the finding is closed on its page
    page.get_by_role("link", name=f"#{finding.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("D2")
    page.locator("#move-closed-note").fill("Nightly off-site backups are in place now.")
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Closed")
    finding.refresh_from_db()
    assert finding.status == "closed"
