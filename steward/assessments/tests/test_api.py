"""The assessments API: the library, an assessment from sending to completion, and isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from steward.assessments.choices import VersionStatus
from steward.assessments.models import Answer, AnswerEvidence, Assessment, TemplateVersion
from steward.assessments.tests.factories import World, answered, pdf_file, sent
from steward.risk.models import Finding

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_template_is_built_and_published_through_the_api(world: World) -> None:
    api = client_for(world.secops)
    made = api.post(
        "/api/v1/assessment-templates/",
        {"name": "Cloud hosting review", "depth": "standard"},
        format="json",
    )
    assert made.status_code == 201, made.content
    draft = TemplateVersion.objects.get(template_id=made.json()["id"])
    section = api.post(
        "/api/v1/assessment-sections/",
        {"template_version": draft.pk, "title": "Hosting", "weight": 2},
        format="json",
    )
    assert section.status_code == 201, section.content
    bad = api.post(
        "/api/v1/assessment-questions/",
        {
            "section": section.json()["id"],
            "ref": "H1",
            "text": "Region?",
            "answer_type": "single",
            "choices": ["EU", "US"],
            "compliant_answers": ["Mars"],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "compliant_answers"
    good = api.post(
        "/api/v1/assessment-questions/",
        {
            "section": section.json()["id"],
            "ref": "H1",
            "text": "Region?",
            "answer_type": "single",
            "choices": ["EU", "US"],
            "compliant_answers": ["EU"],
        },
        format="json",
    )
    assert good.status_code == 201, good.content
    published = api.post(f"/api/v1/assessment-template-versions/{draft.pk}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == VersionStatus.PUBLISHED
    # frozen from now on
    frozen = api.patch(
        f"/api/v1/assessment-questions/{good.json()['id']}/",
        {"text": "Changed", "version": 1},
        format="json",
    )
    assert frozen.status_code == 400
    # the vendor manager reads the library but does not keep it
    owner = client_for(world.cast.owner)
    assert owner.get("/api/v1/assessment-templates/").status_code == 200
    refused = owner.post(
        "/api/v1/assessment-templates/", {"name": "Mine", "depth": "light"}, format="json"
    )
    assert refused.status_code == 403


def test_an_assessment_from_sending_to_completion(world: World, settings: Any) -> None:
    cast = world.cast
    owner = client_for(cast.owner)
    made = owner.post(
        "/api/v1/assessments/",
        {"supplier": world.vendor_a.pk, "template_version": world.version.pk},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert owner.post(f"/api/v1/assessments/{pk}/send/", {"due_on": due}).status_code == 200
    portal = client_for(cast.portal_a)
    assert [row["id"] for row in portal.get("/api/v1/assessments/").json()["results"]] == [pk]
    refs = {"A1": "yes", "A2": "Quarterly", "D1": "no", "D2": "Nightly"}
    for ref, value in refs.items():
        saved = portal.post(
            "/api/v1/assessment-answers/",
            {"assessment": pk, "question": world.q(ref).pk, "value": value},
            format="json",
        )
        assert saved.status_code == 201, saved.content
    wrong = portal.post(
        "/api/v1/assessment-answers/",
        {"assessment": pk, "question": world.q("A2").pk, "value": "Daily"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "A2: choose one of" in wrong.json()["errors"][0]["detail"]
    upload = portal.post(
        "/api/v1/assessment-evidence/",
        {"assessment": pk, "question": world.q("A1").pk, "file": pdf_file()},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    download = portal.get(upload.json()["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert portal.post(f"/api/v1/assessments/{pk}/submit/").status_code == 200
    secops = client_for(world.secops)
    for answer in Answer.objects.filter(assessment_id=pk):
        reviewed = secops.post(
            f"/api/v1/assessment-answers/{answer.pk}/review/", {"verdict": "accepted"}
        )
        assert reviewed.status_code == 200, reviewed.content
    done = secops.post(f"/api/v1/assessments/{pk}/complete/")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"
    # Access 3/3 = 100, Data: D1 a gap, D2 accepted = 50; (3 x 100 + 50) / 4 = 87.50
    assert done.json()["score"] == "87.50"
    assert Finding.objects.get(supplier=world.vendor_a).severity == "critical"


def test_portal_b_reaches_nothing_of_portal_as_assessment(world: World) -> None:
    cast = world.cast
    assessment = answered(world, sent(world), cast.portal_a)
    evidence = AnswerEvidence.objects.get(answer__assessment=assessment)
    answer = Answer.objects.filter(assessment=assessment).first()
    assert answer is not None
    other = client_for(cast.portal_b)
    for url in (
        "/api/v1/assessments/",
        "/api/v1/assessment-answers/",
        "/api/v1/assessment-evidence/",
        f"/api/v1/assessments/?q={world.vendor_a.relationship.organization.display_name}",
    ):
        assert other.get(url).json()["results"] == []
    for url in (
        f"/api/v1/assessments/{assessment.pk}/",
        f"/api/v1/assessment-answers/{answer.pk}/",
        f"/api/v1/assessment-evidence/{evidence.pk}/",
        f"/api/v1/assessment-evidence/{evidence.pk}/download/",
    ):
        assert other.get(url).status_code == 404, url
    # writing with a guessed id is answered as if the assessment did not exist
    guessed = other.post(
        "/api/v1/assessment-answers/",
        {"assessment": assessment.pk, "question": world.q("A1").pk, "value": "no"},
        format="json",
    )
    assert guessed.status_code == 400
    assert other.post(f"/api/v1/assessments/{assessment.pk}/submit/").status_code == 404
    # the library is for inside users
    assert other.get("/api/v1/assessment-templates/").json()["results"] == []
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"
