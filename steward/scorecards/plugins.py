"""How scorecards plug into the shared screens: navigation (the heat map and ranking for
everyone inside, "My surveys", and the template admin), and the warning a standing puts on new
contracts."""

from __future__ import annotations

from steward.core.registry import NavEntry, register_nav


def register() -> None:
    # A standing that warns on new commitments is shown before a contract is drafted.
    from steward.contracts.hooks import register_commitment_warning
    from steward.scorecards.services.consequences import commitment_warnings

    register_commitment_warning(commitment_warnings)
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
