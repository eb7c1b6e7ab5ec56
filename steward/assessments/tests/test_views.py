"""The pages: the list, new assessment, the review screen, the portal's answer form, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from steward.assessments.choices import AssessmentStatus, Verdict
from steward.assessments.models import Answer, AnswerEvidence, Assessment
from steward.assessments.tests.factories import World, answered, pdf_file, sent
from steward.core.registry import due_items, portal_sections, search
from steward.risk.models import Finding

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_owner_creates_and_sends_from_the_page(world: World) -> None:
    page = client_for(world.cast.owner)
    assert page.get("/assessments/new/").status_code == 200
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = page.post(
        "/assessments/new/",
        {
            "supplier": world.vendor_a.pk,
            "template_version": world.version.pk,
            "due_on": due,
            "send": "on",
        },
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.status == AssessmentStatus.SENT
    listed = page.get("/assessments/?status=sent")
    assert f"/assessments/{assessment.pk}/" in listed.content.decode()
    assert "No assessments to show" in page.get("/assessments/?overdue=true").content.decode()


def test_a_past_due_date_is_refused_on_the_form(world: World) -> None:
    response = client_for(world.cast.owner).post(
        "/assessments/new/",
        {
            "supplier": world.vendor_a.pk,
            "template_version": world.version.pk,
            "due_on": "2001-01-01",
            "send": "on",
        },
    )
    assert response.status_code == 200
    assert "Give a due date from today on" in response.content.decode()


def test_the_vendor_answers_in_the_portal_and_it_security_reviews(world: World) -> None:
    cast = world.cast
    assessment = sent(world)
    portal = client_for(cast.portal_a)
    assert "Tiny review" in portal.get("/portal/assessments/").content.decode()
    form = portal.get(f"/portal/assessments/{assessment.pk}/")
    assert form.status_code == 200
    q = {ref: world.q(ref).pk for ref in ("A1", "A2", "D1", "D2")}
    # a refused value is shown next to its question, the others are kept
    refused = portal.post(
        f"/portal/assessments/{assessment.pk}/",
        {f"q-{q['A1']}": "yes", f"q-{q['A2']}": "Hourly", "save": "1"},
    )
    assert refused.status_code == 400
    assert "A2: choose one of" in refused.content.decode()
    submitted = portal.post(
        f"/portal/assessments/{assessment.pk}/",
        {
            f"q-{q['A1']}": "yes",
            f"f-{q['A1']}": pdf_file(),
            f"q-{q['A2']}": "Yearly",
            f"q-{q['D1']}": "yes",
            f"q-{q['D2']}": "Nightly",
            "submit": "1",
        },
    )
    assert submitted.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED
    # IT security reviews on the review screen
    secops = client_for(world.secops)
    screen = secops.get(f"/assessments/{assessment.pk}/")
    evidence = AnswerEvidence.objects.get()
    assert f"/assessments/evidence/{evidence.pk}/download/" in screen.content.decode()
    for answer in Answer.objects.filter(assessment=assessment):
        verdict = Verdict.REJECTED if answer.question.ref == "D2" else Verdict.ACCEPTED
        secops.post(
            f"/assessments/answers/{answer.pk}/review/", {"verdict": verdict, "note": "No proof."}
        )
    partial = secops.post(
        f"/assessments/answers/{Answer.objects.first().pk}/review/",
        {"verdict": "accepted"},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    done = secops.post(f"/assessments/{assessment.pk}/complete/")
    assert done.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.COMPLETED
    assert Finding.objects.filter(supplier=world.vendor_a).count() == 2  # A2 yearly, D2 rejected


def test_portal_b_sees_nothing_of_a_by_page_id_search_or_file(world: World) -> None:
    cast = world.cast
    assessment = answered(world, sent(world), cast.portal_a)
    evidence = AnswerEvidence.objects.get()
    other = client_for(cast.portal_b)
    assert "Tiny review" not in other.get("/portal/assessments/").content.decode()
    assert other.get(f"/portal/assessments/{assessment.pk}/").status_code == 404
    assert other.get(f"/assessments/evidence/{evidence.pk}/download/").status_code == 404
    assert other.get(f"/assessments/{assessment.pk}/").status_code == 404
    assert other.get("/assessments/").status_code == 404  # inside pages are not the portal's
    assert search(cast.portal_b, "Aurora") == {} or "assessments" not in search(
        cast.portal_b, "Aurora"
    )
    assert due_items(cast.portal_b, today=timezone.localdate(), until=dt.date(2100, 1, 1)) == []
    # while A's own portal user downloads it
    mine = client_for(cast.portal_a).get(f"/assessments/evidence/{evidence.pk}/download/")
    assert mine.status_code == 200


def test_portal_home_section_and_due_items(world: World) -> None:
    cast = world.cast
    assessment = sent(world)
    section = next(s for s in portal_sections() if s.name == "assessments")
    assert section.count(cast.portal_a) == 1
    assert section.count(cast.portal_b) == 0
    due = due_items(cast.portal_a, today=timezone.localdate(), until=dt.date(2100, 1, 1))
    assert [item.url for item in due if item.kind == "assessment"] == [assessment.portal_url()]
    answered(world, assessment, cast.portal_a)
    reviews = due_items(world.secops, today=timezone.localdate(), until=dt.date(2100, 1, 1))
    assert [item.kind for item in reviews] == ["assessment_review"]


def test_library_pages(world: World) -> None:
    page = client_for(world.cast.owner)
    listing = page.get("/assessments/templates/?q=Lightweight")
    assert "Lightweight third-party security review" in listing.content.decode()
    detail = page.get(f"/assessments/templates/{world.version.template_id}/")
    assert detail.status_code == 200
    version = page.get(f"/assessments/versions/{world.version.pk}/")
    assert "MFA everywhere?" in version.content.decode()


def test_the_risk_screens_show_the_vendors_assessments_and_the_overdue_ones(
    world: World,
) -> None:
    from django.template.loader import render_to_string

    from steward.risk.panels import dashboard_panels, vendor_sections

    cast = world.cast
    assessment = sent(world)
    Assessment.objects.filter(pk=assessment.pk).update(due_on=dt.date(2020, 1, 1))
    today = timezone.localdate()
    section = next(s for s in vendor_sections() if s.name == "assessments")
    shown = render_to_string(section.template, section.context(cast.owner, world.vendor_a, today))
    assert f"/assessments/{assessment.pk}/" in shown
    assert "overdue" in shown
    hidden = render_to_string(
        section.template, section.context(cast.outsider, world.vendor_a, today)
    )
    assert f"/assessments/{assessment.pk}/" not in hidden
    panel = next(p for p in dashboard_panels() if p.name == "overdue_assessments")
    assert f"/assessments/{assessment.pk}/" in render_to_string(
        panel.template, panel.context(world.secops, today)
    )
    assert "No assessment is overdue" in render_to_string(
        panel.template, panel.context(cast.outsider, today)
    )
