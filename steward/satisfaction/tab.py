"""The account page's "Health" tab: NPS and CSAT with counts, the health card trend, warnings
and open problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from steward.core.access import Action, allows, can_create
from steward.core.charts import base_layout, chart_context
from steward.parties.choices import Side
from steward.satisfaction import selectors
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.tallies import Tally, tallies_by_account, tallies_by_quarter

CARDS_SHOWN = 8


def health_cards(relationship_id: int) -> list[Any]:
    """The account's latest scored cards of demand-side templates, oldest first."""
    from steward.scorecards.models import Scorecard

    cards = list(
        Scorecard.objects.filter(
            relationship_id=relationship_id,
            period__template__side=Side.DEMAND,
            score__isnull=False,
        )
        .select_related("period__template")
        .order_by("-period__ends_on", "-pk")[:CARDS_SHOWN]
    )
    return cards[::-1]


def _card_chart(cards: list[Any]) -> dict[str, Any] | None:
    if not cards:
        return None
    figure = go.Figure(
        go.Scatter(
            x=[f"{c.period.starts_on:%Y-%m}" for c in cards],
            y=[float(c.score) for c in cards],
            mode="lines+markers",
            name="Health score",
            customdata=[[f"/scorecards/cards/{c.pk}/"] for c in cards],
        )
    )
    figure.update_layout(**base_layout(height=260, yaxis={"range": [0, 100]}))
    return chart_context(
        figure,
        chart_id="health-trend",
        label="Health score by period",
        description="The table beside it lists the same cards.",
    )


def health_tab_context(request: Any, relationship: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    start = today - relativedelta(years=1) + dt.timedelta(days=1)
    tally = tallies_by_account([relationship.pk], start, today).get(relationship.pk, Tally())
    cards = health_cards(relationship.pk)
    recent = list(
        selectors.response_list(user=user)
        .filter(relationship=relationship, archived_at__isnull=True)
        .order_by("-answered_on", "-pk")[:10]
    )
    judged = selectors.standard_judgement([relationship.pk], today)[relationship.pk]
    return {
        "tally": tally,
        "since": start,
        "cards": cards,
        "card_chart": _card_chart(cards),
        "quarters": tallies_by_quarter([relationship.pk], None, today),
        "health_warnings": selectors.warnings_for([relationship.pk], today=today),
        "problems": selectors.open_problems(user=user, relationship=relationship),
        "recent": recent,
        "meets_standard": judged,
        "standard": selectors.standard_for(user=user),
        "can_record": can_create(user, SatisfactionResponse, parent=relationship)
        and allows(user, Action.CHANGE, relationship),
    }
