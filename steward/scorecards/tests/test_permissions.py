"""Who may use the scorecard pages and endpoints: every role of the cast against the rules.

The expectations are written out from the policy (see core/access.py): a card follows its
relationship (owner, team, the owner's managers read; owner and editing members change),
administrators change everything, auditors read everything, portal users see a card of their
organization only while it is shared; templates and periods are read by every inside user and
changed by administrators. A refused write leaves the database as it was.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from steward.core.testing import api_client, web_client
from steward.parties.tests.cast import ROLES, Cast
from steward.scorecards.choices import PeriodStatus
from steward.scorecards.models import Measurement, ScoreCorrection
from steward.scorecards.tests.factories import period_with_criteria, scored_card

pytestmark = pytest.mark.django_db

READERS = {"admin", "auditor", "director", "manager", "owner", "member", "reviewer"}
CHANGERS = {"admin", "owner", "member"}
INSIDERS = READERS | {"outsider"}


@pytest.fixture
def card(cast: Cast) -> Any:
    period = period_with_criteria(template={"is_default": True})
    return scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(60)})


def expected_read(role: str) -> int:
    return 200 if role in READERS else 404


@pytest.mark.parametrize("role", ROLES)
def test_scorecard_page(cast: Cast, card: Any, role: str) -> None:
    url = reverse("scorecards:relationship-scorecard", args=[cast.rel_a.pk])
    assert web_client(cast.user(role)).get(url).status_code == expected_read(role)


@pytest.mark.parametrize("role", ROLES)
def test_evidence_page(cast: Cast, card: Any, role: str) -> None:
    criterion = card.period.version.criteria.get(code="delivery")
    url = reverse("scorecards:card-evidence", args=[card.pk, criterion.pk])
    assert web_client(cast.user(role)).get(url).status_code == expected_read(role)


@pytest.mark.parametrize("role", ROLES)
def test_shared_card_reaches_its_organization_portal_only(cast: Cast, card: Any, role: str) -> None:
    card.shared_with_portal = True
    card.save()
    response = api_client(cast.user(role)).get(reverse("scorecard-detail", args=[card.pk]))
    allowed = READERS | {"portal_a"}
    assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", ROLES)
def test_correct_on_the_page(cast: Cast, card: Any, role: str) -> None:
    criterion = card.period.version.criteria.get(code="delivery")
    response = web_client(cast.user(role)).post(
        reverse("scorecards:card-correct", args=[card.pk]),
        {"criterion": criterion.pk, "to_score": "90", "reason": "checked"},
    )
    expected = 302 if role in CHANGERS else 403 if role in READERS else 404
    assert response.status_code == expected
    assert ScoreCorrection.objects.exists() == (role in CHANGERS)


@pytest.mark.parametrize("role", ROLES)
def test_share_through_the_api(cast: Cast, card: Any, role: str) -> None:
    response = api_client(cast.user(role)).post(
        reverse("scorecard-share", args=[card.pk]), {"shared": True}, format="json"
    )
    expected = 200 if role in CHANGERS else 403 if role in READERS else 404
    assert response.status_code == expected
    card.refresh_from_db()
    assert card.shared_with_portal == (role in CHANGERS)


@pytest.mark.parametrize("role", ROLES)
def test_measurement_create_through_the_api(cast: Cast, role: str) -> None:
    response = api_client(cast.user(role)).post(
        reverse("measurement-list"),
        {
            "relationship": cast.rel_a.pk,
            "measure": "on_time_delivery_pct",
            "measured_on": "2024-02-01",
            "value": "95",
        },
        format="json",
    )
    if role in CHANGERS:
        assert response.status_code == 201
    elif role in READERS or role.startswith("portal"):
        assert response.status_code == 403
    else:  # the outsider cannot name a relationship they do not see
        assert response.status_code == 400
    assert Measurement.objects.exists() == (role in CHANGERS)


@pytest.mark.parametrize("role", ROLES)
def test_period_close(cast: Cast, card: Any, role: str) -> None:
    period = card.period
    response = web_client(cast.user(role)).post(
        reverse("scorecards:period-close", args=[period.pk])
    )
    expected = 302 if role == "admin" else 403 if role in INSIDERS else 404
    assert response.status_code == expected
    period.refresh_from_db()
    assert (period.status == PeriodStatus.CLOSED) == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_template_pages(cast: Cast, card: Any, role: str) -> None:
    client = web_client(cast.user(role))
    detail = client.get(reverse("scorecards:template-detail", args=[card.period.template_id]))
    assert detail.status_code == (200 if role in INSIDERS else 404)
    create = client.get(reverse("scorecards:template-create"))
    assert create.status_code == (200 if role == "admin" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_heat_map_rows(cast: Cast, card: Any, role: str) -> None:
    response = web_client(cast.user(role)).get(
        reverse("scorecards:heatmap"), {"template": card.period.template_id}
    )
    if role in INSIDERS:
        shown = [row["card"].pk for row in response.context["rows"]]
        assert shown == ([card.pk] if role in READERS else [])
    else:  # portal users do not see the templates, so no template is named to them
        assert response.status_code == 404
