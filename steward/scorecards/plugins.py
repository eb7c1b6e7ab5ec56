"""How scorecards plug into the shared screens: navigation (the heat map and ranking for
everyone inside, "My surveys", and the template admin), and the warning a standing puts on new
contracts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from steward.contracts.models import Contract
from steward.contracts.selectors_renewals import PackRow, PackSection, register_pack_section
from steward.core.access import Action
from steward.core.registry import NavEntry, register_nav
from steward.scorecards.choices import PeriodStatus
from steward.scorecards.models import Scorecard

PACK_SECTION = "scorecard"
PACK_PERIODS = 8  # the last two years of quarters


def renewal_pack_scorecard(user: Any, contract: Contract) -> PackSection:
    """The counterparty's closed cards, latest first: how it performed over the term."""
    cards = list(
        Scorecard.objects.restrict(user, Action.VIEW)
        .filter(relationship_id=contract.relationship_id, period__status=PeriodStatus.CLOSED)
        .select_related("period__template")
        .order_by("-period__starts_on", "pk")[:PACK_PERIODS]
    )
    rows = [
        PackRow(
            cells=(
                f"{card.period.template} · {card.period.label}",
                "no data" if card.score is None else f"{card.score}",
                card.standing or "—",
                f"{len(card.missing)} without data" if card.missing else "",
            ),
            url=reverse("scorecards:card-detail", args=[card.pk]),
        )
        for card in cards
    ]
    scored = [card for card in cards if card.score is not None]
    note = ""
    if len(scored) >= 2 and scored[0].score is not None and scored[-1].score is not None:
        change = scored[0].score - scored[-1].score
        note = f"{change:+} points since {scored[-1].period.label}."
    return PackSection(
        title="Scorecard",
        headers=("Period", "Score", "Standing", "Missing criteria"),
        rows=rows,
        empty="No closed scorecard period yet.",
        note=note,
    )


def register() -> None:
    # A standing that warns on new commitments is shown before a contract is drafted.
    from steward.contracts.hooks import register_commitment_warning
    from steward.scorecards.services.consequences import commitment_warnings

    register_commitment_warning(commitment_warnings)
    register_pack_section(PACK_SECTION, renewal_pack_scorecard)
    register_nav(
        NavEntry(
            "Scorecards", "scorecards:heatmap", "shared", order=45, match_prefix="/scorecards/"
        )
    )
    register_nav(NavEntry("My surveys", "scorecards:my-surveys", "shared", order=46))
    register_nav(
        NavEntry(
            "Scorecard templates",
            "scorecards:template-list",
            "admin",
            order=94,
            match_prefix="/scorecards/templates/",
        )
    )
