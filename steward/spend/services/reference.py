"""Writes on the reference data that interprets a ledger: sources with their column mappings,
category rules, cost centers, exchange rates (one by one or from a file), remembered vendor
matches and contracted prices.

Finance and administrators keep it (``AccessSpec(administered=True, functions=("finance",))``);
contracted prices follow their contract (``parent="contract"``), so whoever may change a
contract may also price it. Every write is one transaction, checks every field before saving,
refuses bad input with a ``DomainError`` naming the field and records history.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.models import DomainModel
from steward.core.services import (
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.choices import Side
from steward.parties.identity import normalize_legal_name
from steward.spend.choices import RuleField, RuleMatch
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    VendorAlias,
)
from steward.spend.services.reference_checks import (
    ISO_CURRENCIES,
    archive_checked,
    currency_code,
    optional_text,
    refuse_archived,
    required_text,
)
from steward.spend.services.reference_prices import (
    contract_price_archive,
    contract_price_create,
    contract_price_update,
    refuse_overlap,
)
from steward.spend.services.reference_rates import (
    exchange_rate_archive,
    exchange_rate_create,
    exchange_rate_update,
    exchange_rates_import,
)
from steward.spend.services.reference_sources import (
    STEWARD_FIELDS,
    clean_mapping,
    spend_source_archive,
    spend_source_create,
    spend_source_update,
)
from steward.suppliers.models import Category, Supplier

# The one place views, the API and tests call; sources, rates and prices live in modules of their
# own (reference_sources, reference_rates, reference_prices) to keep each small.
__all__ = [
    "ISO_CURRENCIES",
    "STEWARD_FIELDS",
    "category_rule_archive",
    "category_rule_create",
    "category_rule_update",
    "clean_mapping",
    "contract_price_archive",
    "contract_price_create",
    "contract_price_update",
    "cost_center_archive",
    "cost_center_create",
    "cost_center_update",
    "currency_code",
    "exchange_rate_archive",
    "exchange_rate_create",
    "exchange_rate_update",
    "exchange_rates_import",
    "spend_reference_restore",
    "spend_source_archive",
    "spend_source_create",
    "spend_source_update",
    "vendor_alias_archive",
    "vendor_alias_confirm",
]

# --- category rules ------------------------------------------------------------------------------

RULE_EDITABLE = frozenset({"field", "match", "pattern", "supplier", "category", "priority"})
MAX_PRIORITY = 32767


def _check_rule(rule: CategoryRule) -> None:
    if rule.field not in RuleField.values:
        raise DomainError(
            f"“{rule.field}” is not what a rule can look at.", field="field", code="invalid_choice"
        )
    if rule.match not in RuleMatch.values:
        raise DomainError(
            f"“{rule.match}” is not a way to match.", field="match", code="invalid_choice"
        )
    rule.pattern = optional_text(rule.pattern, field="pattern")
    if rule.field == RuleField.VENDOR:
        if rule.supplier_id is None:
            raise DomainError(
                "Choose the vendor whose lines go to the category.",
                field="supplier",
                code="required",
            )
        if rule.pattern:
            raise DomainError(
                "A vendor rule matches the vendor, not a text; leave the pattern empty.",
                field="pattern",
                code="not_allowed",
            )
        refuse_archived(rule.supplier, field="supplier", label="The vendor")
    else:
        if not rule.pattern:
            what = RuleField(rule.field).label.lower()
            raise DomainError(
                f"Give the text the {what} is matched against.", field="pattern", code="required"
            )
        if rule.supplier_id is not None:
            raise DomainError(
                "Only a vendor rule names a vendor; leave the vendor empty.",
                field="supplier",
                code="not_allowed",
            )
    if rule.category_id is None:
        raise DomainError("Choose the category.", field="category", code="required")
    refuse_archived(rule.category, field="category", label="The category")
    if isinstance(rule.priority, bool) or not isinstance(rule.priority, int):
        raise DomainError("The priority is a whole number.", field="priority")
    if not 0 <= rule.priority <= MAX_PRIORITY:
        raise DomainError(
            f"The priority is between 0 and {MAX_PRIORITY}.", field="priority", code="invalid"
        )
    validate_fields(rule)
    same = CategoryRule.objects.active().filter(
        field=rule.field,
        match=rule.match,
        pattern__iexact=rule.pattern,
        supplier_id=rule.supplier_id,
    )
    if same.exclude(pk=rule.pk).exists():
        raise DuplicateError(
            "A current rule matches the same lines already; change that one.",
            field="supplier" if rule.field == RuleField.VENDOR else "pattern",
        )


def category_rule_create(
    *,
    actor: Any,
    field: str,
    category: Category,
    match: str = RuleMatch.EQUALS,
    pattern: str = "",
    supplier: Supplier | None = None,
    priority: int = 100,
) -> CategoryRule:
    """A rule that puts lines in ``category`` by their GL account, description or vendor."""
    require_create(actor, CategoryRule)
    rule = CategoryRule(
        field=field,
        match=match,
        pattern=pattern,
        supplier=supplier,
        category=category,
        priority=priority,
    )
    with transaction.atomic():
        _check_rule(rule)
        return create_record(rule, actor=actor)


def category_rule_update(
    *, actor: Any, rule: CategoryRule, expected_version: int, **changes: Any
) -> CategoryRule:
    """Change a rule; lines already imported keep their category."""
    require(actor, Action.CHANGE, rule)
    refuse_unknown_fields(changes, RULE_EDITABLE)
    return update_record(
        rule, actor=actor, expected_version=expected_version, changes=changes, validate=_check_rule
    )


def category_rule_archive(
    *, actor: Any, rule: CategoryRule, expected_version: int | None = None
) -> CategoryRule:
    return archive_checked(actor, rule, expected_version)


# --- cost centers --------------------------------------------------------------------------------


def _check_cost_center(cost_center: CostCenter) -> None:
    cost_center.code = required_text(
        cost_center.code, field="code", message="Give the code the ledger uses."
    )
    cost_center.name = required_text(
        cost_center.name, field="name", message="Name the cost center."
    )
    validate_fields(cost_center)
    same = CostCenter.objects.filter(code__iexact=cost_center.code).exclude(pk=cost_center.pk)
    if same.exists():
        raise DuplicateError(
            f"There is a cost center with the code “{cost_center.code}” already (perhaps "
            "archived: restore it instead).",
            field="code",
        )


def cost_center_create(*, actor: Any, code: str, name: str) -> CostCenter:
    require_create(actor, CostCenter)
    cost_center = CostCenter(code=code, name=name)
    with transaction.atomic():
        _check_cost_center(cost_center)
        return create_record(cost_center, actor=actor)


def cost_center_update(
    *, actor: Any, cost_center: CostCenter, expected_version: int, **changes: Any
) -> CostCenter:
    """Rename a cost center; its code is how ledgers name it and stays."""
    require(actor, Action.CHANGE, cost_center)
    refuse_unknown_fields(changes, frozenset({"name"}))
    return update_record(
        cost_center,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_cost_center,
    )


def cost_center_archive(
    *, actor: Any, cost_center: CostCenter, expected_version: int | None = None
) -> CostCenter:
    return archive_checked(actor, cost_center, expected_version)


# --- vendor aliases ------------------------------------------------------------------------------


def _alias_key(raw_name: Any) -> tuple[str, str]:
    raw = required_text(
        raw_name, field="raw_name", message="Give the name as the ledger spells it."
    )
    if len(raw) > 255:
        raise DomainError("A name has at most 255 characters.", field="raw_name", code="max_length")
    key = normalize_legal_name(raw)
    if not key:
        raise DomainError(
            f"“{raw}” has no letters or digits to recognise it by.",
            field="raw_name",
            code="invalid",
        )
    return raw, key


def _refuse_taken_name(raw: str, key: str, supplier: Supplier, *, restoring: bool = False) -> None:
    """A name matches one vendor: through a current alias, or as the one vendor of that name.

    A name several vendors share matches none of them on import, so it may be confirmed as
    any one of them.
    """
    current = (
        VendorAlias.objects.active()
        .filter(name_key=key)
        .select_related("supplier__relationship__organization")
        .first()
    )
    if current is not None and (restoring or current.supplier_id != supplier.pk):
        raise DuplicateError(
            f"“{raw}” is matched to {current.supplier} already; archive that match first.",
            field="raw_name",
        )
    namesakes = list(
        matchable_vendors()
        .filter(relationship__organization__name_key=key)
        .select_related("relationship__organization")[:2]
    )
    if len(namesakes) == 1 and namesakes[0].pk != supplier.pk:
        raise DuplicateError(
            f"“{raw}” is the name of another vendor, {namesakes[0]}; its lines are matched to "
            "that vendor.",
            field="raw_name",
        )


def matchable_vendors() -> QuerySet[Supplier]:
    """Vendors an import can match a line to: current, on a current supply-side relationship
    with a current organization (as ``steward.spend.ingest.vendors`` reads them)."""
    return Supplier.objects.filter(
        archived_at__isnull=True,
        relationship__archived_at__isnull=True,
        relationship__side=Side.SUPPLY,
        relationship__organization__archived_at__isnull=True,
    )


def vendor_alias_confirm(*, actor: Any, raw_name: str, supplier: Supplier) -> VendorAlias:
    """Remember that the ledger's ``raw_name`` is ``supplier``: later imports match it at once.

    Confirming a name already matched to the same vendor changes nothing; an archived match of
    the name is replaced (brought back, pointing at ``supplier``); a name matched to another
    vendor is refused.
    """
    require_create(actor, VendorAlias)
    raw, key = _alias_key(raw_name)
    if not matchable_vendors().filter(pk=supplier.pk).exists():
        raise DomainError(
            f"{supplier} is archived (or its relationship or organization is); an import "
            "matches lines only to current vendors.",
            field="supplier",
            code="archived",
        )
    with transaction.atomic():
        same = VendorAlias.objects.active().filter(name_key=key, supplier=supplier).first()
        if same is not None:
            return same
        _refuse_taken_name(raw, key, supplier)
        archived = (
            VendorAlias.objects.select_for_update()
            .filter(name_key=key, archived_at__isnull=False)
            .order_by("-archived_at", "-pk")
            .first()
        )
        try:
            with transaction.atomic():
                if archived is not None:
                    archived.raw_name = raw
                    archived.supplier = supplier
                    archived.confirmed_by = actor
                    archived.archived_at = None
                    archived.archived_by = None
                    return save_with_history(archived, actor=actor, reason="Confirmed again")
                alias = VendorAlias(
                    name_key=key, raw_name=raw, supplier=supplier, confirmed_by=actor
                )
                return create_record(alias, actor=actor, reason="Confirmed")
        except IntegrityError as error:  # someone confirmed the same name a moment ago
            raise DuplicateError(
                f"“{raw}” was just matched to a vendor by someone else.", field="raw_name"
            ) from error


def vendor_alias_archive(
    *, actor: Any, alias: VendorAlias, expected_version: int | None = None
) -> VendorAlias:
    """Forget a match: the name is unmatched again on the next import."""
    return archive_checked(actor, alias, expected_version)


# --- restoring -----------------------------------------------------------------------------------


def spend_reference_restore(
    *, actor: Any, record: DomainModel, expected_version: int | None = None
) -> Any:
    """Bring back an archived source, rule, cost center, rate, vendor match or price, unless
    a current record has taken its place meanwhile."""
    require(actor, Action.DELETE, record)
    with transaction.atomic():
        locked = lock_for_update(record, expected_version=expected_version)
        if locked.is_archived:
            if isinstance(locked, VendorAlias):
                _refuse_taken_name(
                    locked.raw_name, locked.name_key, locked.supplier, restoring=True
                )
            elif isinstance(locked, ContractPrice):
                refuse_overlap(locked)
            elif isinstance(locked, CategoryRule):
                _check_rule(locked)
        return restore_record(locked, actor=actor, expected_version=expected_version)
