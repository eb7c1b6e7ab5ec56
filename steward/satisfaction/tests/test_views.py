"""Pages: the lists, the public survey page, the Health tab, the warnings and who-haven't-I-met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.satisfaction.models import SatisfactionResponse, SurveyRequest
from steward.satisfaction.services.requests import survey_request_send
from steward.satisfaction.tests.factories import response, tag

pytestmark = pytest.mark.django_db


def test_overview_and_lists(cast: Cast, world: DemandWorld) -> None:
    response(world.account_a, "nps", 10, comment="Very helpful")
    response(world.account_b, "nps", 0, comment="Peer's customer")
    client = web_client(cast.owner)
    page = client.get("/satisfaction/").content.decode()
    assert "Aurora" in page
    assert "Borealis" not in page
    listing = client.get("/satisfaction/responses/").content.decode()
    assert "Very helpful" in listing
    assert "Peer&#x27;s customer" not in listing
    assert "Peer's customer" not in listing
    export = client.get("/satisfaction/responses/", {"export": "csv"})
    assert b"Very helpful" in b"".join(export.streaming_content)
    assert client.get("/satisfaction/", {"by": "owner"}).status_code == 200


def test_portal_user_does_not_reach_the_pages(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.portal_a)
    for url in ("/satisfaction/", "/satisfaction/warnings/", "/satisfaction/not-met/"):
        assert client.get(url).status_code == 404


def test_record_a_response_through_the_form(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.member)
    url = f"/satisfaction/accounts/{world.account_a.pk}/responses/new/"
    day = timezone.localdate().isoformat()
    refused = client.post(url, {"kind": "csat", "score": 9, "answered_on": day})
    assert refused.status_code == 200
    assert "CSAT" in refused.content.decode()
    assert not SatisfactionResponse.objects.exists()
    done = client.post(url, {"kind": "csat", "score": 4, "answered_on": day})
    assert done.status_code == 302
    assert SatisfactionResponse.objects.get().score == 4
    assert web_client(cast.outsider).get(url).status_code == 404


def test_public_survey_page_flow(cast: Cast, world: DemandWorld) -> None:
    _request, link = survey_request_send(
        actor=cast.owner, relationship=world.account_a, contact=cast.contact_a_private
    )
    path = "/" + link.split("/", 3)[3]
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "How likely are you to recommend us" in text
    assert "How satisfied are you" in text
    assert "Aurora" in text
    missing = anonymous.post(path, {"nps": "2"})
    assert missing.status_code == 200
    assert not SatisfactionResponse.objects.exists()
    thanks = anonymous.post(path, {"nps": "2", "csat": "1", "comment": "Too slow"})
    assert "Thank you" in thanks.content.decode()
    assert SatisfactionResponse.objects.count() == 2
    assert anonymous.get(path).status_code == 410
    assert anonymous.post(path, {"nps": "10", "csat": "5"}).status_code == 410
    assert anonymous.get("/survey/not-a-token/").status_code == 404
    SurveyRequest.objects.update(answered_at=None, expires_at=timezone.now())
    assert anonymous.get(path).status_code == 410
    assert SatisfactionResponse.objects.count() == 2


def test_survey_page_keeps_csrf(cast: Cast, world: DemandWorld) -> None:
    from django.test import Client

    _request, link = survey_request_send(
        actor=cast.owner, relationship=world.account_a, contact=cast.contact_a_private
    )
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/" + link.split("/", 3)[3], {"nps": "9", "csat": "5"}).status_code == 403
    assert not SatisfactionResponse.objects.exists()


def test_send_survey_page(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.owner)
    url = f"/satisfaction/accounts/{world.account_a.pk}/survey/"
    assert cast.contact_a_private.last_name in client.get(url).content.decode()
    done = client.post(
        url, {"contact": cast.contact_a_private.pk, "kinds": ["nps"], "expires_in_days": 14}
    )
    assert done.status_code == 302
    sent = SurveyRequest.objects.get()
    assert (sent.ask_nps, sent.ask_csat) == (True, False)


def test_health_tab_and_warnings_page(cast: Cast, world: DemandWorld) -> None:
    detractor = response(world.account_a, "nps", 3, comment="Angry")
    client = web_client(cast.owner)
    tab = client.get(f"/accounts/{world.account_a.pk}/", {"tab": "health"}).content.decode()
    assert "Detractor" in tab
    assert f"/satisfaction/responses/{detractor.pk}/" in tab
    assert "NPS" in tab
    warnings = client.get("/satisfaction/warnings/").content.decode()
    assert "Aurora" in warnings
    assert "Borealis" not in warnings
    # The peer sees none of Aurora's
    assert "Aurora" not in web_client(cast.outsider).get("/satisfaction/warnings/").content.decode()


def test_not_met_page(cast: Cast, world: DemandWorld) -> None:
    tag(ContactFactory(organization=cast.org_a, last_name="Zebrabuyer"), "buyer")
    page = web_client(cast.owner).get("/satisfaction/not-met/").content.decode()
    assert "Zebrabuyer" in page
    assert "never" in page


def test_import_page_reports_rows(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.owner)
    bad = SimpleUploadedFile(
        "r.csv",
        b"account,kind,score,answered_on\n" + f"{world.account_a.pk},nps,12,2026-01-01\n".encode(),
    )
    page = client.post("/satisfaction/responses/import/", {"file": bad}).content.decode()
    assert "row 2, score" in page
    good = SimpleUploadedFile(
        "r.csv",
        b"account,kind,score,answered_on\n" + f"{world.account_a.pk},nps,9,2026-01-01\n".encode(),
    )
    assert client.post("/satisfaction/responses/import/", {"file": good}).status_code == 302
    assert SatisfactionResponse.objects.count() == 1


def test_standard_page_admin_only(cast: Cast, world: DemandWorld) -> None:
    from steward.satisfaction.services.standard import standard_current

    record = standard_current()
    body = {
        "nps_minimum": 40,
        "csat_minimum_pct": "85",
        "minimum_responses": 3,
        "window_months": 12,
        "version": record.version,
    }
    assert web_client(cast.owner).post("/satisfaction/standard/", body).status_code == 403
    assert web_client(cast.admin).post("/satisfaction/standard/", body).status_code == 302
    record.refresh_from_db()
    assert record.nps_minimum == 40


def test_an_administrator_edits_the_meeting_cadence_on_the_standard_page(
    cast: Cast, world: DemandWorld
) -> None:
    from steward.satisfaction.models import MeetingCadence

    cadence = MeetingCadence.objects.get(tier=1)
    url = f"/satisfaction/cadence/{cadence.pk}/"
    field = f"cadence-{cadence.pk}"
    # An account manager reads the cadence but has no form and may not post one
    page = web_client(cast.owner).get("/satisfaction/standard/").content.decode()
    assert url not in page
    assert web_client(cast.owner).post(url, {f"{field}-days": 45}).status_code == 403
    # An administrator's bad value is refused on the page, naming the field's reason
    admin = web_client(cast.admin)
    assert url in admin.get("/satisfaction/standard/").content.decode()
    refused = admin.post(url, {f"{field}-days": 0, f"{field}-version": cadence.version})
    assert refused.status_code == 200
    assert "greater than or equal to 1" in refused.content.decode()
    cadence.refresh_from_db()
    assert cadence.days == 30
    # and a good one is saved
    saved = admin.post(url, {f"{field}-days": 45, f"{field}-version": cadence.version})
    assert saved.status_code == 302
    cadence.refresh_from_db()
    assert cadence.days == 45


def test_activity_face_to_face_filter(cast: Cast, world: DemandWorld) -> None:
    from steward.reviews.tests.factories import ActivityFactory

    ActivityFactory(
        relationship=world.account_a,
        subject="In person visit",
        face_to_face=True,
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
    )
    ActivityFactory(relationship=world.account_a, subject="Phone call")
    page = web_client(cast.owner).get("/activities/", {"face_to_face": "true"}).content.decode()
    assert "In person visit" in page
    assert "Phone call" not in page
