"""Writes on TCO comparisons and their options.

A comparison belongs to its owner (finance and administrators change every one); its options
follow it. An option added without a unit price, rates or a risk cost gets the suggestions of
``steward.savings.tco_defaults``, each recorded in the option's ``defaults`` with where it came
from; a value typed later replaces the suggestion and leaves ``defaults``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    create_record,
    refuse_unknown_fields,
    restore_record,
    update_record,
    validate_fields,
)
from steward.savings import selectors, tco_defaults
from steward.savings.models import TcoComparison, TcoOption
from steward.spend.scope import scope_for
from steward.suppliers.models import Category, Supplier

COMPARISON_EDITABLE = frozenset(
    {"title", "category", "item", "annual_quantity", "horizon_years", "owner", "notes"}
)
MAX_HORIZON_YEARS = 30

# Every input of an option, with what its messages call it; percentages are 0 to 100.
OPTION_INPUTS: dict[str, str] = {
    "unit_price": "The unit price",
    "freight_per_unit": "Freight per unit",
    "duties_pct": "Duties",
    "other_landed_per_unit": "Other landed cost per unit",
    "operating_cost_per_year": "The operating cost per year",
    "support_cost_per_year": "The support cost per year",
    "rejection_rate_pct": "The rejection rate",
    "cost_per_rejection": "The cost per rejection",
    "late_delivery_rate_pct": "The late-delivery rate",
    "cost_per_late_delivery": "The cost per late delivery",
    "risk_cost_per_year": "The risk cost per year",
}
PERCENT_INPUTS = frozenset({"duties_pct", "rejection_rate_pct", "late_delivery_rate_pct"})
OPTION_EDITABLE = frozenset({*OPTION_INPUTS, "notes"})


# --- comparisons ----------------------------------------------------------------------------------


def _check_comparison(actor: Any, before: dict[str, Any]) -> Any:
    def check(comparison: TcoComparison) -> None:
        comparison.title = (comparison.title or "").strip()
        comparison.item = (comparison.item or "").strip()
        comparison.notes = (comparison.notes or "").strip()
        if not comparison.title:
            raise DomainError("A comparison needs a title.", field="title", code="required")
        quantity = comparison.annual_quantity
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise DomainError(
                "The annual quantity is a number of units above 0.", field="annual_quantity"
            )
        years = comparison.horizon_years
        if not isinstance(years, int) or not 1 <= years <= MAX_HORIZON_YEARS:
            raise DomainError(
                f"The horizon is 1 to {MAX_HORIZON_YEARS} years.", field="horizon_years"
            )
        if comparison.owner_id is None or not principal_for(comparison.owner).is_internal:
            raise DomainError("The owner must be an active inside user.", field="owner")
        category_id = comparison.category_id
        changed = category_id is not None and category_id != before.get("category_id")
        choices = selectors.category_choices(user=actor)
        if changed and not choices.filter(pk=category_id or 0).exists():
            raise DomainError("Choose a current category.", field="category")
        validate_fields(comparison, exclude=["owner", "category"])

    return check


def tco_comparison_create(
    *,
    actor: Any,
    title: str,
    annual_quantity: Decimal,
    horizon_years: int = 3,
    category: Category | None = None,
    item: str = "",
    owner: Any | None = None,
    notes: str = "",
) -> TcoComparison:
    require_create(actor, TcoComparison)
    comparison = TcoComparison(
        title=title,
        annual_quantity=annual_quantity,
        horizon_years=horizon_years,
        category=category,
        item=item,
        owner=owner or actor,
        notes=notes,
    )
    _check_comparison(actor, {})(comparison)
    return create_record(comparison, actor=actor)


def tco_comparison_update(
    *, actor: Any, comparison: TcoComparison, expected_version: int, **changes: Any
) -> TcoComparison:
    require(actor, Action.CHANGE, comparison)
    refuse_unknown_fields(changes, COMPARISON_EDITABLE)
    return update_record(
        comparison,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_comparison(actor, {"category_id": comparison.category_id}),
    )


def tco_comparison_archive(
    *, actor: Any, comparison: TcoComparison, expected_version: int | None = None
) -> TcoComparison:
    require(actor, Action.DELETE, comparison)
    return archive_record(comparison, actor=actor, expected_version=expected_version)


def tco_comparison_restore(
    *, actor: Any, comparison: TcoComparison, expected_version: int | None = None
) -> TcoComparison:
    require(actor, Action.DELETE, comparison)
    return restore_record(comparison, actor=actor, expected_version=expected_version)


# --- options --------------------------------------------------------------------------------------


def _check_inputs(option: TcoOption) -> None:
    for field, label in OPTION_INPUTS.items():
        value = getattr(option, field)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise DomainError(f"{label} is a number.", field=field)
        if value < 0:
            raise DomainError(f"{label} cannot be negative.", field=field)
        if field in PERCENT_INPUTS and value > 100:
            raise DomainError(f"{label} is a percentage from 0 to 100.", field=field)
    option.notes = (option.notes or "").strip()
    validate_fields(option, exclude=["comparison", "supplier"])


def _require_open(comparison: TcoComparison) -> None:
    if comparison.is_archived:
        raise DomainError(
            "This comparison is archived; restore it first.", field="comparison", code="archived"
        )


def _suggest(
    *,
    actor: Any,
    comparison: TcoComparison,
    supplier: Supplier,
    given: dict[str, Decimal],
    today: dt.date,
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The suggested values of the inputs not ``given``, and where each came from."""
    values: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    if "unit_price" not in given:
        price = tco_defaults.suggest_unit_price(
            user=actor,
            scope=scope_for(actor),
            comparison=comparison,
            supplier=supplier,
            today=today,
        )
        if price is None:
            raise DomainError(
                "The ledger holds no priced spend with this vendor over the last 12 months "
                "that you may see; type the unit price.",
                field="unit_price",
                code="required",
            )
        values["unit_price"], sources["unit_price"] = price.value, price.source
    for field, suggestion in tco_defaults.suggest_rates(user=actor, supplier=supplier).items():
        if field not in given:
            values[field], sources[field] = suggestion.value, suggestion.source
    if "risk_cost_per_year" not in given:
        unit_price = given.get("unit_price", values.get("unit_price", Decimal(0)))
        risk = tco_defaults.suggest_risk_cost(
            supplier=supplier, comparison=comparison, unit_price=unit_price
        )
        if risk is not None:
            values["risk_cost_per_year"], sources["risk_cost_per_year"] = risk.value, risk.source
    return values, sources


def tco_option_add(
    *,
    actor: Any,
    comparison: TcoComparison,
    supplier: Supplier,
    notes: str = "",
    today: dt.date | None = None,
    **inputs: Decimal | None,
) -> TcoOption:
    """Add a vendor to a comparison. Inputs left out (or None) are suggested from the ledger, the
    vendor's scorecard measurements and its risk score where those exist, else 0; the unit price
    must be given when the ledger has none."""
    require(actor, Action.CHANGE, comparison)
    require_create(actor, TcoOption, parent=comparison)
    refuse_unknown_fields(inputs, frozenset(OPTION_INPUTS))
    _require_open(comparison)
    if not selectors.vendor_choices(user=actor).filter(pk=supplier.pk).exists():
        raise DomainError("Choose a current vendor you may see.", field="supplier")
    given = {field: value for field, value in inputs.items() if value is not None}
    values, sources = _suggest(
        actor=actor,
        comparison=comparison,
        supplier=supplier,
        given=given,
        today=today or timezone.localdate(),
    )
    option = TcoOption(
        comparison=comparison, supplier=supplier, notes=notes, defaults=sources, **values, **given
    )
    _check_inputs(option)
    try:
        with transaction.atomic():
            if comparison.options.filter(supplier=supplier, archived_at__isnull=True).exists():
                raise DuplicateError("This vendor is in the comparison already.", field="supplier")
            return create_record(option, actor=actor)
    except IntegrityError as error:
        raise DuplicateError(
            "This vendor is in the comparison already.", field="supplier"
        ) from error


def tco_option_update(
    *, actor: Any, option: TcoOption, expected_version: int, **changes: Any
) -> TcoOption:
    """Change an option's inputs; a typed value replaces its suggestion (it leaves ``defaults``)."""
    require(actor, Action.CHANGE, option)
    refuse_unknown_fields(changes, OPTION_EDITABLE)
    _require_open(option.comparison)
    # None means "leave as it is" (a blank field of the form, a null in a partial update).
    changes = {name: value for name, value in changes.items() if value is not None}

    def check(locked: TcoOption) -> None:
        typed = {
            name
            for name in changes
            if name in OPTION_INPUTS and changes[name] != getattr(option, name)
        }
        locked.defaults = {k: v for k, v in locked.defaults.items() if k not in typed}
        _check_inputs(locked)

    return update_record(
        option, actor=actor, expected_version=expected_version, changes=changes, validate=check
    )


def tco_option_archive(
    *, actor: Any, option: TcoOption, expected_version: int | None = None
) -> TcoOption:
    require(actor, Action.DELETE, option)
    return archive_record(option, actor=actor, expected_version=expected_version)


def tco_option_restore(
    *, actor: Any, option: TcoOption, expected_version: int | None = None
) -> TcoOption:
    require(actor, Action.DELETE, option)
    _require_open(option.comparison)
    try:
        with transaction.atomic():
            if (
                option.comparison.options.filter(
                    supplier_id=option.supplier_id, archived_at__isnull=True
                )
                .exclude(pk=option.pk)
                .exists()
            ):
                raise DuplicateError(
                    "The vendor was added to the comparison again since; this option stays "
                    "archived.",
                    field="supplier",
                )
            return restore_record(option, actor=actor, expected_version=expected_version)
    except IntegrityError as error:
        raise DuplicateError(
            "The vendor was added to the comparison again since.", field="supplier"
        ) from error
