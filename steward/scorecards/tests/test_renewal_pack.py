"""The renewal pack shows the counterparty's closed cards, latest first, and how far it moved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.contracts.selectors_renewals import renewal_pack
from steward.contracts.tests.test_sla_service import make_contract
from steward.parties.tests.cast import Cast
from steward.scorecards.tests.factories import period_with_criteria, scored_card

pytestmark = pytest.mark.django_db


def test_the_pack_lists_closed_cards_latest_first_with_the_change(cast: Cast) -> None:
    contract = make_contract(cast)
    earlier = period_with_criteria(closed=True, starts_on=dt.date(2024, 1, 1))
    later = period_with_criteria(
        closed=True, starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2024, 6, 30)
    )
    scored_card(period=earlier, relationship=cast.rel_a, scores={"delivery": Decimal(90)})
    scored_card(period=later, relationship=cast.rel_a, scores={"delivery": Decimal(40)})
    # An open period's card is not in the pack yet.
    scored_card(
        period=period_with_criteria(starts_on=dt.date(2024, 7, 1), ends_on=dt.date(2024, 9, 30)),
        relationship=cast.rel_a,
        scores={"delivery": Decimal(10)},
    )

    section = renewal_pack(user=cast.owner, contract=contract)["scorecard"]

    assert [row.cells[1:3] for row in section.rows] == [("40.00", "poor"), ("90.00", "excellent")]
    assert section.note == f"-50.00 points since {earlier.label}."
    # The administrator, who sees every card, reads the same section
    assert renewal_pack(user=cast.admin, contract=contract)["scorecard"].rows == section.rows


def test_without_a_closed_card_the_pack_says_so(cast: Cast) -> None:
    section = renewal_pack(user=cast.owner, contract=make_contract(cast))["scorecard"]

    assert section.rows == []
    assert section.empty == "No closed scorecard period yet."
