"""Vendor performance on the supply side: the "Performance" tab of a vendor (its latest card and
its rank within each of its categories and its segment) and the ranking of vendors by category
and segment.

The scorecard engine knows nothing of categories and segments; this module adds them to the
engine's heat map and ranking as two filters (``category`` and ``segment``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from steward.core.display import person_name
from steward.core.exports import Column, export_response
from steward.core.ui import paginate, query_filters, render_page
from steward.parties.choices import Side
from steward.scorecards import selectors as scorecard_selectors
from steward.scorecards.models import ScorecardPeriod, ScorecardTemplate
from steward.suppliers.choices import Segment
from steward.suppliers.models import Category, Supplier

# --- the filters this side adds to the engine's heat map and ranking --------------------------


def _by_category(cards: QuerySet[Any], value: str) -> QuerySet[Any]:
    if not value.isdigit():
        return cards.none()
    # One category id: a vendor appears once (its link to that category is unique).
    return cards.filter(relationship__supplier__categories=int(value))


def _by_segment(cards: QuerySet[Any], value: str) -> QuerySet[Any]:
    return cards.filter(relationship__supplier__segment=value)


def _category_choices(user: Any) -> list[tuple[str, str]]:
    categories = Category.objects.restrict(user, "view").filter(archived_at__isnull=True)
    return [(str(pk), name) for pk, name in categories.order_by("name").values_list("pk", "name")]


def register_scorecard_filters() -> None:
    """Called once at start-up: vendor category and segment filter scorecard lists."""
    scorecard_selectors.register_card_filter(
        scorecard_selectors.ExtraFilter(
            name="category", label="Category", apply=_by_category, choices=_category_choices
        )
    )
    scorecard_selectors.register_card_filter(
        scorecard_selectors.ExtraFilter(
            name="segment",
            label="Segment",
            apply=_by_segment,
            choices=lambda user: [(str(v), str(label)) for v, label in Segment.choices],
        )
    )


# --- the vendor's tab --------------------------------------------------------------------------


def performance_context(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    """The vendor's latest card, its lines, and its rank in each category and its segment."""
    user = request.user
    relationship = supplier.relationship
    card = scorecard_selectors.latest_card(user=user, relationship=relationship)
    context: dict[str, Any] = {"card": card, "ranks": []}
    if card is None:
        return context
    period = card.period
    ranks = []
    for category in supplier.categories.all():
        rank, total = scorecard_selectors.rank_of(
            user=user, period=period, relationship=relationship, filters={"category": category.pk}
        )
        ranks.append(
            {
                "label": f"Category {category.name}",
                "rank": rank,
                "total": total,
                "query": f"category={category.pk}",
            }
        )
    if supplier.segment:
        rank, total = scorecard_selectors.rank_of(
            user=user,
            period=period,
            relationship=relationship,
            filters={"segment": supplier.segment},
        )
        ranks.append(
            {
                "label": f"Segment {supplier.get_segment_display()}",
                "rank": rank,
                "total": total,
                "query": f"segment={supplier.segment}",
            }
        )
    context.update(
        lines=scorecard_selectors.card_lines(card=card),
        missing=scorecard_selectors.missing_names(card),
        ranks=ranks,
        period=period,
    )
    return context


# --- the ranking of vendors --------------------------------------------------------------------

RANKING_COLUMNS = (
    Column("Rank", lambda c: c.rank),
    Column("Vendor", lambda c: c.relationship.organization.display_name),
    Column("Owner", lambda c: person_name(c.relationship.owner)),
    Column("Period", lambda c: c.period.label),
    Column("Score", lambda c: c.score),
    Column("Standing", lambda c: c.standing),
)


def _supply_period(
    request: HttpRequest,
) -> tuple[list[ScorecardTemplate], ScorecardTemplate | None, ScorecardPeriod | None]:
    user = request.user
    templates = [t for t in scorecard_selectors.template_list(user=user) if t.side == Side.SUPPLY]
    wanted = request.GET.get("template", "")
    template = next((t for t in templates if str(t.pk) == wanted), None)
    if template is None:
        template = next((t for t in templates if t.is_default), None) or (
            templates[0] if templates else None
        )
    period = None
    if template is not None:
        periods = scorecard_selectors.period_list(user=user, template=template)
        wanted_period = request.GET.get("period", "")
        if wanted_period.isdigit():
            period = periods.filter(pk=int(wanted_period)).first()
        period = period or scorecard_selectors.latest_period(user=user, template=template)
    return templates, template, period


@login_required
@require_GET
def vendor_performance(request: HttpRequest) -> HttpResponseBase:
    """Vendors ranked by score in a period, within a category and a segment when chosen."""
    user = request.user
    templates, template, period = _supply_period(request)
    context: dict[str, Any] = {
        "title": "Vendor performance",
        "templates": templates,
        "template": template,
        "period": period,
        "periods": list(scorecard_selectors.period_list(user=user, template=template)[:24])
        if template
        else [],
        "categories": _category_choices(user),
        "segments": Segment.choices,
        "params": request.GET,
    }
    if period is not None:
        filters = query_filters(request.GET)
        cards = scorecard_selectors.ranking(user=user, period=period, filters=filters)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return export_response(
                cards, RANKING_COLUMNS, filename="vendor-performance", file_format=export
            )
        page = paginate(request, cards)
        kept = request.GET.copy()
        kept.pop("page", None)
        kept.pop("export", None)
        context.update(
            page=page, rows=page.object_list, can_export=True, export_query=kept.urlencode()
        )
    return render_page(request, "suppliers/performance.html", context, partial="results")
