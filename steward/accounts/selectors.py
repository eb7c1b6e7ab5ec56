"""Reads of key accounts, each starting from the access policy.

An account is a demand-side ``parties.Relationship``: ``account_get`` answers 404 for a
supply-side one as for one the user may not see. Figures over many accounts (installed
revenue, penetration) are summed per account and currency in one query, then converted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from steward.accounts.filtersets import AccountFilterSet
from steward.accounts.models import AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell
from steward.accounts.penetration import HolderTotals, Penetration, penetration_of
from steward.catalog.models import ProductFamily
from steward.core.access import Action, get_for_user
from steward.parties.choices import Side
from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.spend.conversion import rate_on
from steward.spend.money import base_currency

__all__ = ["Penetration"]
CENT = Decimal("0.01")


# --- accounts ----------------------------------------------------------------------------------


def _accounts(user: Any) -> QuerySet[Relationship]:
    return (
        Relationship.objects.restrict(user, Action.VIEW)
        .filter(side=Side.DEMAND)
        .select_related("organization", "owner", "account_profile")
    )


def account_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> AccountFilterSet:
    data = filters if filters is not None else QueryDict()
    return AccountFilterSet(data, queryset=_accounts(user), request=SimpleNamespace(user=user))


def account_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Relationship]:
    """The demand-side relationships the user may see (own, reports', team's), filtered."""
    return account_filterset(user=user, filters=filters).qs


def account_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> Relationship:
    """One account; 404 for a supply-side relationship or one the user may not see."""
    return get_for_user(_accounts(user), user=user, pk=pk, action=action)


def profile_of(relationship: Relationship) -> AccountProfile | None:
    try:
        return relationship.account_profile
    except AccountProfile.DoesNotExist:
        return None


def account_currency(relationship: Relationship) -> str:
    """The account's reporting currency: its profile's, or the base currency."""
    profile = profile_of(relationship)
    return profile.currency if profile is not None else base_currency()


def team_of(relationship: Relationship) -> QuerySet[RelationshipMember]:
    return relationship.members.filter(archived_at__isnull=True).select_related("user")


def group_organizations(organization: Organization) -> list[Organization]:
    """The organization, its parent and its subsidiaries (current ones), itself first."""
    group = [organization]
    if organization.parent_id and organization.parent and not organization.parent.is_archived:
        group.append(organization.parent)
    group.extend(organization.subsidiaries.filter(archived_at__isnull=True).order_by("pk"))
    return group


def group_accounts(*, user: Any, relationship: Relationship) -> list[Relationship]:
    """The accounts (that the user may see) on the parent and subsidiaries of the organization."""
    others = [o.pk for o in group_organizations(relationship.organization)[1:]]
    return list(
        _accounts(user).filter(organization_id__in=others, archived_at__isnull=True).order_by("pk")
    )


def locations_of(relationship: Relationship) -> QuerySet[Site]:
    """The account's locations: current sites of its organization and its group."""
    organizations = [o.pk for o in group_organizations(relationship.organization)]
    return (
        Site.objects.filter(organization_id__in=organizations, archived_at__isnull=True)
        .select_related("organization")
        .order_by("organization_id", "name", "pk")
    )


def contacts_by_location(*, user: Any, relationship: Relationship) -> dict[str, Any]:
    """Each location with its contacts (and role tags), and the contacts without one."""
    sites = list(locations_of(relationship))
    organizations = [o.pk for o in group_organizations(relationship.organization)]
    contacts = (
        Contact.objects.restrict(user, Action.VIEW)
        .filter(organization_id__in=organizations, archived_at__isnull=True)
        .select_related("organization")
        .prefetch_related("roles")
        .order_by("last_name", "first_name", "pk")
    )
    by_site: dict[int | None, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_site[contact.site_id].append(contact)
    units: dict[int | None, list[BuyingUnit]] = defaultdict(list)
    for unit in buying_units_of(relationship):
        units[unit.site_id].append(unit)
    return {
        "locations": [
            {"site": site, "contacts": by_site.get(site.pk, []), "units": units.get(site.pk, [])}
            for site in sites
        ],
        "unplaced": by_site.get(None, []),
        "unplaced_units": units.get(None, []),
    }


@dataclass(frozen=True)
class MatrixRow:
    """A row of the whitespace matrix: a location, or a buying unit at a location."""

    site: Site
    unit: BuyingUnit | None

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.site.pk, self.unit.pk if self.unit else None)

    @property
    def label(self) -> str:
        return f"{self.site.name} · {self.unit.name}" if self.unit else self.site.name


def matrix_rows(
    relationship: Relationship, cells: Iterable[WhitespaceCell] = ()
) -> list[MatrixRow]:
    """One row per location; a location with buying units gets one row per unit instead
    (and keeps its own row while it still has cells of its own)."""
    units: dict[int, list[BuyingUnit]] = defaultdict(list)
    for unit in buying_units_of(relationship).filter(site__isnull=False).order_by("name", "pk"):
        units[unit.site_id].append(unit)  # type: ignore[index]
    site_level = {cell.site_id for cell in cells if cell.buying_unit_id is None}
    rows: list[MatrixRow] = []
    for site in locations_of(relationship):
        if not units.get(site.pk) or site.pk in site_level:
            rows.append(MatrixRow(site, None))
        rows.extend(MatrixRow(site, unit) for unit in units.get(site.pk, []))
    return rows


def matrix_families(
    relationship: Relationship, cells: Iterable[WhitespaceCell] = ()
) -> QuerySet[ProductFamily]:
    """The matrix's columns: current product families, and archived ones that still have cells."""
    used = {cell.family_id for cell in cells}
    return ProductFamily.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=used)).order_by(
        "position", "name", "pk"
    )


# --- the account's records ---------------------------------------------------------------------


def buying_units_of(relationship: Relationship) -> QuerySet[BuyingUnit]:
    return relationship.buying_units.filter(archived_at__isnull=True).select_related("site")


def installed_of(relationship: Relationship, *, current_only: bool = False) -> QuerySet[Any]:
    rows = relationship.installed_products.filter(archived_at__isnull=True).select_related(
        "product", "product__family", "site", "buying_unit"
    )
    if current_only:
        rows = rows.filter(_current_installed(timezone.localdate()))
    return rows.order_by("until", "product__sku", "pk")


def cells_of(relationship: Relationship) -> QuerySet[WhitespaceCell]:
    """The current cells, with the opportunities opened from them (the pipeline's link)."""
    return (
        relationship.whitespace_cells.filter(archived_at__isnull=True)
        .select_related("family", "site", "buying_unit")
        .prefetch_related("opportunities")
    )


def part_list(*, user: Any, model: type[Any]) -> QuerySet[Any]:
    """Rows of an account's records the user may see, on demand-side accounts only."""
    return model.objects.restrict(user, Action.VIEW).filter(relationship__side=Side.DEMAND)


def part_get(*, user: Any, model: type[Any], pk: Any, action: Action | str = Action.VIEW) -> Any:
    return get_for_user(part_list(user=user, model=model), user=user, pk=pk, action=action)


def cell_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> WhitespaceCell:
    cells = part_list(user=user, model=WhitespaceCell).select_related(
        "family", "site", "buying_unit", "relationship"
    )
    return get_for_user(cells, user=user, pk=pk, action=action)


# --- money over many accounts ------------------------------------------------------------------


def conversion_factors(currencies: Iterable[str], to: str, day: dt.date) -> dict[str, Decimal]:
    """What one unit of each currency is worth in ``to`` at the rates of ``day``; one rate
    lookup per currency (raises DomainError ``no_rate`` when one is missing)."""
    target = rate_on(to, day)
    return {currency: rate_on(currency, day) / target for currency in set(currencies) | {to}}


@dataclass(frozen=True)
class InstalledTotals:
    revenue: Decimal
    cost: Decimal
    currency: str

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.revenue:
            return None
        return (self.margin * 100 / self.revenue).quantize(CENT)


def _current_installed(day: dt.date) -> Q:
    return (Q(until__isnull=True) | Q(until__gte=day)) & (Q(since__isnull=True) | Q(since__lte=day))


def installed_by_account(
    relationship_ids: Iterable[int], currency: str, *, day: dt.date | None = None
) -> dict[int, InstalledTotals]:
    """Yearly revenue and cost of what each account has today, in ``currency``: summed per
    account and currency in one query, the sums converted at the day's rates."""
    day = day or timezone.localdate()
    ids = list(relationship_ids)
    rows = list(
        InstalledProduct.objects.filter(
            _current_installed(day), relationship_id__in=ids, archived_at__isnull=True
        )
        .values("relationship_id", "currency")
        .annotate(revenue=Sum("annual_revenue"), cost=Sum("annual_cost"))
        .order_by()
    )
    factors = conversion_factors((row["currency"] for row in rows), currency, day)
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    cost: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        factor = factors[row["currency"]]
        revenue[row["relationship_id"]] += (row["revenue"] or 0) * factor
        cost[row["relationship_id"]] += (row["cost"] or 0) * factor
    return {
        pk: InstalledTotals(revenue[pk].quantize(CENT), cost[pk].quantize(CENT), currency)
        for pk in ids
    }


def penetration_by_account(
    relationship_ids: Iterable[int], currency: str, *, day: dt.date | None = None
) -> dict[int, Penetration]:
    """Each account's penetration, amounts in ``currency`` at the day's rates: one query sums
    the cells per account, holder and currency."""
    day = day or timezone.localdate()
    ids = list(relationship_ids)
    rows = list(
        WhitespaceCell.objects.filter(relationship_id__in=ids, archived_at__isnull=True)
        .values("relationship_id", "holder", "currency")
        .annotate(
            cells=Count("pk"),
            spend=Sum("current_spend"),
            potential=Sum("potential"),
        )
        .order_by()
    )
    factors = conversion_factors((row["currency"] for row in rows), currency, day)
    totals: dict[int, list[HolderTotals]] = defaultdict(list)
    for row in rows:
        totals[row["relationship_id"]].append(
            HolderTotals(
                holder=row["holder"],
                currency=row["currency"],
                cells=row["cells"],
                spend=row["spend"] or Decimal(0),
                potential=row["potential"] or Decimal(0),
            )
        )
    return {
        pk: penetration_of(totals.get(pk, []), currency=currency, factors=factors) for pk in ids
    }


def penetration(*, relationship: Relationship, currency: str | None = None) -> Penetration:
    """One account's penetration, in ``currency`` (the account's own by default)."""
    currency = currency or account_currency(relationship)
    return penetration_by_account([relationship.pk], currency)[relationship.pk]


def installed_totals(*, relationship: Relationship, currency: str | None = None) -> InstalledTotals:
    currency = currency or account_currency(relationship)
    return installed_by_account([relationship.pk], currency)[relationship.pk]
