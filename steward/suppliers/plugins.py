"""How the supply side plugs into the shared screens: its menu entries, and its section of a
contract's renewal pack."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from steward.contracts.selectors_renewals import register_pack_section
from steward.core.registry import NavEntry, register_nav
from steward.reviews.cadence import register_review_cadence
from steward.suppliers import renewal_pack
from steward.suppliers.models import SegmentPlaybook, Supplier


def review_cadences() -> Iterable[tuple[int, int]]:
    """Days between business reviews per vendor: its strategy's, else its segment playbook's."""
    playbook_days = SegmentPlaybook.objects.filter(
        segment=OuterRef("segment"), archived_at__isnull=True
    ).values("review_every_days")[:1]
    return (
        Supplier.objects.filter(archived_at__isnull=True)
        .annotate(days=Coalesce("strategy__review_every_days", Subquery(playbook_days)))
        .filter(days__isnull=False)
        .values_list("relationship_id", "days")
    )


def register() -> None:
    # Views import forms and selectors; import them once the apps are ready.
    from steward.suppliers.views.performance import register_scorecard_filters

    register_pack_section(renewal_pack.SECTION_NAME, renewal_pack.prequalified_alternatives)
    register_review_cadence("suppliers", review_cadences)
    register_scorecard_filters()
    register_nav(
        NavEntry("Vendors", "suppliers:vendor-list", "supply", order=10, match_prefix="/vendors/")
    )
    register_nav(NavEntry("Portfolio", "suppliers:vendor-portfolio", "supply", order=11))
    register_nav(NavEntry("Vendor performance", "suppliers:vendor-performance", "supply", order=11))
    register_nav(
        NavEntry(
            "Categories",
            "suppliers:category-list",
            "supply",
            order=12,
            match_prefix="/categories/",
        )
    )
