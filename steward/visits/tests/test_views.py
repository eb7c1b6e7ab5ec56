"""The brief page, its PDF and the account tab; the post-visit note's form, its refusals next to
the row at fault, and who may see and record."""

from __future__ import annotations

import pytest

from steward.accountplans.choices import Sentiment
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.reviews.choices import ActionStatus
from steward.reviews.models import ActionItem
from steward.visits.models import Visit
from steward.visits.tests.factories import VisitWorld, days

pytestmark = pytest.mark.django_db


def test_the_brief_page_shows_every_section(cast: Cast, vw: VisitWorld) -> None:
    response = web_client(cast.owner).get(f"/accounts/{vw.account.pk}/brief/")
    assert response.status_code == 200
    page = response.content.decode()
    for marker in (
        "Cut stoppages",
        "Late deliveries",
        "Furnace lining",
        "Lunch with the plant manager",
        "never met",
        "not met in 120 days",
        "Send the audit report",
        "Share the forecast",
        "visits/brief.css",
        "Record a visit",
    ):
        assert marker in page, marker


def test_the_brief_of_a_site_and_a_foreign_site(cast: Cast, vw: VisitWorld) -> None:
    client = web_client(cast.owner)
    page = client.get(f"/accounts/{vw.account.pk}/brief/?location={cast.site_a_private.pk}")
    assert page.status_code == 200
    assert "Sara Lind" in page.content.decode()
    assert f'data-testid="brief-person-{vw.sponsor.pk}"' not in page.content.decode()
    foreign = client.get(f"/accounts/{vw.account.pk}/brief/?location={cast.site_b.pk}")
    assert foreign.status_code == 404


def test_empty_states(cast: Cast, vw: VisitWorld) -> None:
    page = web_client(cast.outsider).get(f"/accounts/{vw.world.account_b.pk}/brief/")
    text = page.content.decode()
    assert "no objectives to discuss" in text
    assert "No open problem on the account." in text
    assert "No open whitespace cell" in text
    assert "No open opportunity" in text
    assert "No activity logged in the last 90 days." in text
    assert "no relationship map" in text
    assert "No open action on either side." in text
    assert "No visit note recorded yet." in text


def test_the_pdf(cast: Cast, vw: VisitWorld) -> None:
    response = web_client(cast.manager).get(f"/accounts/{vw.account.pk}/brief/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "visit-brief-" in response["Content-Disposition"]


def test_the_account_tab(cast: Cast, vw: VisitWorld) -> None:
    response = web_client(cast.owner).get(f"/accounts/{vw.account.pk}/?tab=brief")
    text = response.content.decode()
    assert 'data-testid="account-brief"' in text
    assert "Visit brief" in text
    assert "Printable page" in text


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("manager", 200), ("director", 200), ("outsider", 404), ("portal_a", 404)],
)
def test_who_sees_the_brief(cast: Cast, vw: VisitWorld, role: str, status: int) -> None:
    response = web_client(cast.user(role)).get(f"/accounts/{vw.account.pk}/brief/")
    assert response.status_code == status


def _form(vw: VisitWorld, **extra: str) -> dict[str, str]:
    data = {
        "visited_on": days(-1).isoformat(),
        "kind": "site_visit",
        "face_to_face": "on",
        "summary": "Good visit",
        f"met_{vw.sponsor.pk}": "on",
        f"sentiment_{vw.sponsor.pk}": Sentiment.CHAMPION,
        f"done_{vw.ours.pk}": "on",
        "new_0_title": "Quote the trial",
        "new_0_due_on": days(10).isoformat(),
        "new_0_side": "ours",
        "new_1_side": "ours",
        "new_2_side": "ours",
    }
    data.update(extra)
    return data


def test_recording_a_note_through_the_form(cast: Cast, vw: VisitWorld) -> None:
    client = web_client(cast.owner)
    assert client.get(f"/accounts/{vw.account.pk}/visits/new/").status_code == 200
    response = client.post(f"/accounts/{vw.account.pk}/visits/new/", _form(vw))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/accounts/{vw.account.pk}/brief/"
    visit = Visit.objects.get()
    assert len(visit.changes) == 4
    vw.sponsor_stakeholder.refresh_from_db()
    assert vw.sponsor_stakeholder.sentiment == Sentiment.CHAMPION
    assert ActionItem.objects.get(pk=vw.ours.pk).status == ActionStatus.DONE


def test_a_refused_row_is_marked_and_nothing_is_saved(cast: Cast, vw: VisitWorld) -> None:
    client = web_client(cast.owner)
    response = client.post(
        f"/accounts/{vw.account.pk}/visits/new/",
        _form(vw, new_0_due_on=days(-5).isoformat()),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "before the visit" in str(form.errors["new_0_due_on"])
    assert not Visit.objects.exists()
    assert ActionItem.objects.get(pk=vw.ours.pk).status == ActionStatus.OPEN


def test_a_future_visit_is_refused_on_its_field(cast: Cast, vw: VisitWorld) -> None:
    response = web_client(cast.owner).post(
        f"/accounts/{vw.account.pk}/visits/new/", _form(vw, visited_on=days(2).isoformat())
    )
    assert response.status_code == 400
    assert "future" in str(response.context["form"].errors["visited_on"])


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("reviewer", 403), ("auditor", 403), ("outsider", 404)],
)
def test_who_may_not_record(cast: Cast, vw: VisitWorld, role: str, status: int) -> None:
    client = web_client(cast.user(role))
    assert client.get(f"/accounts/{vw.account.pk}/visits/new/").status_code == status
    assert client.post(f"/accounts/{vw.account.pk}/visits/new/", _form(vw)).status_code == status
    assert not Visit.objects.exists()
