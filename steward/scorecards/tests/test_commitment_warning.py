"""A standing that warns on new commitments is shown on the page where a contract is drafted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.scorecards.tests.factories import period_with_criteria, scored_card

pytestmark = pytest.mark.django_db

WATCH = {"delivery": Decimal(60), "quality": Decimal(60), "relationship": Decimal(60)}
GOOD = {"delivery": Decimal(90), "quality": Decimal(80), "relationship": Decimal(75)}


def _draft_page(cast: Cast) -> str:
    url = reverse("contracts:contract-create", args=[cast.rel_a.pk])
    response = web_client(cast.owner).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_watch_standing_warns_before_a_contract_is_drafted(cast: Cast) -> None:
    card = scored_card(
        period=period_with_criteria(closed=True), relationship=cast.rel_a, scores=WATCH
    )
    assert card.standing == "watch"

    page = _draft_page(cast)

    assert "alert-warning" in page
    assert f"stands “watch” ({card.score})" in page


def test_a_good_standing_or_an_open_period_warns_of_nothing(cast: Cast) -> None:
    scored_card(period=period_with_criteria(closed=True), relationship=cast.rel_a, scores=GOOD)
    # An open period's card is not a standing yet, however low it scores.
    scored_card(period=period_with_criteria(), relationship=cast.rel_a, scores=WATCH)

    assert "alert-warning" not in _draft_page(cast)
