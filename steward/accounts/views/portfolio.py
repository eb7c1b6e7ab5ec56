"""The key-account portfolio: the accounts the user may see, with their figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponseBase

from steward.accounts import selectors
from steward.accounts.choices import Segment
from steward.core.errors import DomainError
from steward.core.exports import EXPORT_LIMIT, Column, export_response
from steward.core.ui import ListPage, inside_only, query_filters
from steward.parties.choices import RelationshipStatus, Tier
from steward.spend.money import base_currency


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class Figures:
    """Installed revenue and penetration of a set of accounts, in the base currency."""

    def __init__(self, ids: list[int]) -> None:
        self.currency = base_currency()
        self.problem = ""
        try:
            self.installed = selectors.installed_by_account(ids, self.currency)
            self.penetration = selectors.penetration_by_account(ids, self.currency)
        except DomainError as error:
            self.problem = error.message
            self.installed, self.penetration = {}, {}

    def revenue(self, pk: int) -> Any:
        totals = self.installed.get(pk)
        return totals.revenue if totals else None

    def percent(self, pk: int) -> Any:
        figures = self.penetration.get(pk)
        return figures.percent if figures else None

    def potential(self, pk: int) -> Any:
        figures = self.penetration.get(pk)
        return figures.open_potential if figures else None


def _segment(relationship: Any) -> str:
    profile = selectors.profile_of(relationship)
    return profile.get_segment_display() if profile and profile.segment else ""


class PortfolioPage(ListPage):
    template_name = "accounts/portfolio.html"
    filterset_selector = selectors.account_filterset
    title = "Accounts"
    export_name = "accounts"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        inside_only(request)
        if request.GET.get("export") in ("csv", "xlsx"):
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request: HttpRequest) -> HttpResponseBase:
        filterset = selectors.account_filterset(
            user=request.user, filters=query_filters(request.GET)
        )
        rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
        figures = Figures(list(rows.values_list("pk", flat=True)[:EXPORT_LIMIT]))
        currency = figures.currency
        columns = (
            Column("Id", lambda r: r.pk),
            Column("Account", lambda r: r.organization.display_name),
            Column("Owner", lambda r: _name(r.owner)),
            Column("Tier", lambda r: r.get_tier_display()),
            Column("Segment", _segment),
            Column("Status", lambda r: r.get_status_display()),
            Column(f"Installed revenue a year ({currency})", lambda r: figures.revenue(r.pk)),
            Column("Penetration %", lambda r: figures.percent(r.pk)),
            Column(f"Open potential ({currency})", lambda r: figures.potential(r.pk)),
        )
        return export_response(
            rows, columns, filename=self.export_name, file_format=request.GET["export"]
        )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        figures = Figures([row.pk for row in page.object_list])
        if figures.problem:
            messages.warning(self.request, f"Figures are left out: {figures.problem}")
        owners = get_user_model().objects.filter(
            pk__in=selectors.account_list(user=self.request.user).values("owner_id")
        )
        return {
            "figures": figures,
            "rows_with_figures": [
                (
                    row,
                    figures.installed.get(row.pk),
                    figures.penetration.get(row.pk),
                    _segment(row),
                )
                for row in page.object_list
            ],
            "currency": figures.currency,
            "owners": owners.order_by("first_name", "last_name"),
            "tiers": Tier.choices,
            "segments": Segment.choices,
            "statuses": RelationshipStatus.choices,
        }
