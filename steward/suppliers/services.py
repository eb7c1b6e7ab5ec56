"""Writes on the supply side: vendors, their lifecycle, checklist, prequalification, segmentation,
strategy, categories and the segmentation policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError, StaleVersionError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.choices import Side
from steward.parties.models import Organization, Relationship
from steward.parties.services import relationship_create
from steward.suppliers import lifecycle, segmentation
from steward.suppliers.choices import ChecklistItemCode, Stage
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    LifecycleTransition,
    NegotiationLever,
    Prequalification,
    SegmentationPolicy,
    SegmentChange,
    SegmentPlaybook,
    StrategyKpi,
    Supplier,
    SupplierStrategy,
)
from steward.suppliers.playbooks import SEGMENT_DEFAULTS

PREQUALIFICATION_MONTHS = 24
SEGMENTATION_INPUTS = frozenset(segmentation.FACTOR_FIELD.values())
SUPPLIER_EDITABLE = frozenset({"relationship_type", *SEGMENTATION_INPUTS})


# --- vendors -----------------------------------------------------------------------------------


def supplier_create(
    *,
    actor: Any,
    organization: Organization,
    owner: Any | None = None,
    relationship_type: str | None = None,
    categories: Iterable[Category] = (),
    tier: int | None = None,
    summary: str = "",
    **inputs: Any,
) -> Supplier:
    """Start a supplier relationship with an organization: a prospect with an empty checklist."""
    refuse_unknown_fields(inputs, SEGMENTATION_INPUTS)
    with transaction.atomic():
        fields: dict[str, Any] = {"summary": summary}
        if tier is not None:
            fields["tier"] = tier
        relationship = relationship_create(
            actor=actor, organization=organization, side=Side.SUPPLY, owner=owner, **fields
        )
        return supplier_profile_create(
            actor=actor,
            relationship=relationship,
            relationship_type=relationship_type,
            categories=categories,
            **inputs,
        )


def supplier_profile_create(
    *,
    actor: Any,
    relationship: Relationship,
    relationship_type: str | None = None,
    categories: Iterable[Category] = (),
    **inputs: Any,
) -> Supplier:
    """Give an existing supply-side relationship its vendor record."""
    require(actor, Action.CHANGE, relationship)
    if relationship.side != Side.SUPPLY:
        raise DomainError("Only a supply-side relationship can be a vendor.", field="relationship")
    if Supplier.objects.filter(pk=relationship.pk).exists():
        raise DuplicateError("This relationship is a vendor already.", field="relationship")
    supplier = Supplier(
        relationship=relationship,
        relationship_type=relationship_type
        or Supplier._meta.get_field("relationship_type").default,
        stage_changed_at=timezone.now(),
        **inputs,
    )
    validate_fields(supplier)
    with transaction.atomic():
        create_record(supplier, actor=actor, many={"categories": list(categories)})
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(supplier=supplier, code=code) for code in lifecycle.ALL_CHECKLIST_ITEMS]
        )
        segment_suppliers(suppliers=Supplier.objects.filter(pk=supplier.pk), cause="Vendor created")
    supplier.refresh_from_db()
    return supplier


def supplier_update(
    *,
    actor: Any,
    supplier: Supplier,
    expected_version: int,
    categories: Iterable[Category] | None = None,
    reason: str = "",
    **changes: Any,
) -> Supplier:
    """Change the type, categories or segmentation inputs; the vendor is re-placed at once."""
    require(actor, Action.CHANGE, supplier)
    refuse_unknown_fields(changes, SUPPLIER_EDITABLE)
    with transaction.atomic():
        updated = update_record(
            supplier,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            many={"categories": list(categories)} if categories is not None else None,
            reason=reason,
            validate=validate_fields,
        )
        if SEGMENTATION_INPUTS & set(changes):
            segment_suppliers(
                suppliers=Supplier.objects.filter(pk=supplier.pk),
                cause=reason or "Segmentation inputs changed",
            )
    updated.refresh_from_db()
    return updated


def supplier_override_segment(
    *, actor: Any, supplier: Supplier, expected_version: int, segment: str, reason: str
) -> Supplier:
    """Place the vendor by judgement (or clear the override with segment ''); reason required."""
    require(actor, Action.CHANGE, supplier)
    if segment and not reason.strip():
        raise DomainError(
            "Say why the vendor belongs in another quadrant than the data places it.",
            field="override_reason",
            code="required",
        )
    with transaction.atomic():
        update_record(
            supplier,
            actor=actor,
            expected_version=expected_version,
            changes={
                "segment_override": segment,
                "override_reason": reason.strip() if segment else "",
            },
            reason=f"Segment override: {segment or 'cleared'}",
            validate=validate_fields,
        )
        segment_suppliers(
            suppliers=Supplier.objects.filter(pk=supplier.pk),
            cause="Override set" if segment else "Override cleared",
        )
    supplier.refresh_from_db()
    return supplier


# --- lifecycle ---------------------------------------------------------------------------------


def supplier_transition(
    *,
    actor: Any,
    supplier: Supplier,
    to_stage: str,
    reason: str,
    expected_version: int | None = None,
) -> Supplier:
    """Move the vendor to ``to_stage`` if the table allows it and the checklist is complete."""
    require(actor, Action.CHANGE, supplier)
    if not reason.strip():
        raise DomainError("Say why the vendor moves on.", field="reason", code="required")
    if to_stage not in Stage.values:
        raise TransitionError(f"“{to_stage}” is not a lifecycle stage.", field="to_stage")
    with transaction.atomic():
        locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersionError(
                expected=expected_version, current=locked.version, label="vendor"
            )
        from_stage = locked.stage
        if to_stage not in lifecycle.allowed_next(from_stage):
            allowed = ", ".join(Stage(s).label for s in sorted(lifecycle.allowed_next(from_stage)))
            raise TransitionError(
                f"A vendor cannot move from {Stage(from_stage).label} to {Stage(to_stage).label}; "
                f"from {Stage(from_stage).label} it may move to: {allowed or 'nowhere'}.",
                field="to_stage",
            )
        done = set(
            ChecklistItem.objects.filter(supplier=locked, done=True).values_list("code", flat=True)
        )
        missing = lifecycle.missing_for(from_stage, to_stage, done)
        if missing:
            labels = ", ".join(ChecklistItemCode(code).label.lower() for code in missing)
            raise TransitionError(
                f"Finish the checklist first: {labels}.",
                field="to_stage",
                code="checklist_incomplete",
            )
        _apply_transition(actor, locked, from_stage, to_stage, reason.strip())
    supplier.refresh_from_db()
    return supplier


def _apply_transition(
    actor: Any, supplier: Supplier, from_stage: str, to_stage: str, reason: str
) -> None:
    supplier.stage = to_stage
    supplier.stage_changed_at = timezone.now()
    save_with_history(supplier, actor=actor, reason=f"{from_stage} → {to_stage}: {reason}")
    LifecycleTransition.objects.create(
        supplier=supplier, from_stage=from_stage, to_stage=to_stage, actor=actor, reason=reason
    )
    relationship = supplier.relationship
    status = lifecycle.BASE_STATUS[to_stage]
    if relationship.status != status:
        relationship.status = status
        save_with_history(relationship, actor=actor, reason=f"Vendor stage: {to_stage}")
    if from_stage == Stage.QUALIFICATION and to_stage == Stage.ONBOARDING:
        _prequalify_categories(actor, supplier)
    if to_stage == Stage.PROSPECT:
        # Approached again: qualification and onboarding start over.
        for item in ChecklistItem.objects.filter(supplier=supplier, done=True):
            update_record(
                item,
                actor=actor,
                expected_version=None,
                changes={"done": False, "done_by": None, "done_at": None},
                reason="Approached again: checklist starts over",
            )
    if to_stage == Stage.OFFBOARDED:
        today = timezone.localdate()
        for grant in Prequalification.objects.filter(
            supplier=supplier, revoked_on__isnull=True, expires_on__gte=today
        ):
            update_record(
                grant,
                actor=actor,
                expected_version=None,
                changes={"revoked_on": today, "revoked_reason": "Vendor offboarded"},
                reason="Revoked: vendor offboarded",
            )


def checklist_set(
    *,
    actor: Any,
    item: ChecklistItem,
    done: bool,
    note: str = "",
    expected_version: int | None = None,
) -> ChecklistItem:
    """Tick or untick a checklist item. Items of stages the vendor has left are locked."""
    require(actor, Action.CHANGE, item)
    supplier = item.supplier
    owning_stage = next(stage for stage, codes in lifecycle.CHECKLIST.items() if item.code in codes)
    editable_in = {Stage.PROSPECT, Stage.QUALIFICATION}
    if owning_stage == Stage.ONBOARDING:
        editable_in.add(Stage.ONBOARDING)
    if supplier.stage not in editable_in:
        raise DomainError(
            f"“{item.get_code_display()}” belongs to a stage this vendor has passed; it is kept as "
            "recorded.",
            field="done",
            code="locked",
        )
    changes: dict[str, Any] = {"done": done, "note": note.strip()[:300]}
    changes.update(
        {"done_by": actor, "done_at": timezone.now()}
        if done
        else {"done_by": None, "done_at": None}
    )
    return update_record(item, actor=actor, expected_version=expected_version, changes=changes)


# --- prequalification --------------------------------------------------------------------------


def _default_expiry(today: dt.date) -> dt.date:
    month = today.month - 1 + PREQUALIFICATION_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    day = min(today.day, 28)
    return dt.date(year, month, day)


def _prequalify_categories(actor: Any, supplier: Supplier) -> None:
    today = timezone.localdate()
    current = set(
        Prequalification.objects.filter(
            supplier=supplier,
            revoked_on__isnull=True,
            expires_on__gte=today,
            archived_at__isnull=True,
        ).values_list("category_id", flat=True)
    )
    grants = [
        Prequalification(
            supplier=supplier,
            category=category,
            granted_on=today,
            expires_on=_default_expiry(today),
            granted_by=actor,
        )
        for category in supplier.categories.exclude(pk__in=current)
    ]
    for grant in grants:
        create_record(grant, actor=actor, reason="Granted on passing qualification")


def prequalification_grant(
    *, actor: Any, supplier: Supplier, category: Category, expires_on: dt.date | None = None
) -> Prequalification:
    """Prequalify the vendor for a category (renewing means granting again with a later expiry)."""
    require(actor, Action.CHANGE, supplier)
    if supplier.stage not in lifecycle.PREQUALIFIABLE:
        raise DomainError(
            f"A vendor in {supplier.get_stage_display().lower()} cannot be prequalified; "
            "qualify it first.",
            field="category",
            code="wrong_stage",
        )
    today = timezone.localdate()
    expires_on = expires_on or _default_expiry(today)
    if expires_on <= today:
        raise DomainError("The expiry must lie in the future.", field="expires_on")
    grant = Prequalification(
        supplier=supplier,
        category=category,
        granted_on=today,
        expires_on=expires_on,
        granted_by=actor,
    )
    return create_record(grant, actor=actor, reason="Granted")


def prequalification_revoke(
    *, actor: Any, grant: Prequalification, reason: str, expected_version: int | None = None
) -> Prequalification:
    require(actor, Action.CHANGE, grant)
    if not reason.strip():
        raise DomainError(
            "Say why the prequalification is revoked.", field="reason", code="required"
        )
    return update_record(
        grant,
        actor=actor,
        expected_version=expected_version,
        changes={"revoked_on": timezone.localdate(), "revoked_reason": reason.strip()},
        reason="Revoked",
    )


# --- segmentation ------------------------------------------------------------------------------


def segmentation_defaults_ensure() -> None:
    """Make sure the policy row and one playbook per quadrant exist (migrations seed them; a
    test database flush empties them)."""
    SegmentationPolicy.objects.get_or_create(pk=1)
    for segment, defaults in SEGMENT_DEFAULTS.items():
        SegmentPlaybook.objects.get_or_create(segment=segment, defaults=dict(defaults))


def segmentation_policy() -> SegmentationPolicy:
    return SegmentationPolicy.objects.get_or_create(pk=1)[0]


def segment_suppliers(*, suppliers: QuerySet[Supplier] | None = None, cause: str) -> int:
    """Re-place vendors on the matrix in a fixed number of set-based statements.

    Category shares are derived first (a vendor's peers in its categories come along, since
    their shares move with it). Vendors that change quadrant get a SegmentChange row, and
    their owners an alert. Returns how many vendors changed quadrant.
    """
    policy = segmentation.Policy.from_model(segmentation_policy())
    scope: QuerySet[Supplier]
    if suppliers is None:
        scope = Supplier.objects.all()
    else:
        scope = segmentation.with_category_peers(suppliers)
    scope = scope.filter(archived_at__isnull=True)
    with transaction.atomic():
        segmentation.write_category_shares(scope)
        segmentation.write_scores(scope, policy)
        changed: list[dict[str, Any]] = list(
            scope.annotate(new_segment=segmentation.effective_segment_expression(policy))
            .exclude(new_segment=F("segment"))
            .values(
                "pk",
                "segment",
                "new_segment",
                "profit_impact",
                "supply_risk",
                "relationship__owner_id",
                "relationship__organization__display_name",
            )  # type: ignore[arg-type]
        )
        segmentation.write_segments(scope, policy)
        _record_segment_changes(changed, cause)
    return len(changed)


def _record_segment_changes(changed: list[dict[str, Any]], cause: str) -> None:
    SegmentChange.objects.bulk_create(
        [
            SegmentChange(
                supplier_id=row["pk"],
                from_segment=row["segment"],
                to_segment=row["new_segment"],
                profit_impact=row["profit_impact"],
                supply_risk=row["supply_risk"],
                cause=cause[:200],
            )
            for row in changed
        ],
        batch_size=1000,
    )
    labels = dict(Supplier._meta.get_field("segment").flatchoices)
    notifications_send(
        Alert(
            recipient_id=row["relationship__owner_id"],
            kind="vendor_segment_changed",
            title=(
                f"{row['relationship__organization__display_name']} moved from "
                f"{labels.get(row['segment'], row['segment'])} to "
                f"{labels.get(row['new_segment'], 'unplaced')}"
            ),
            body=f"Cause: {cause}. Review its relationship type and strategy.",
            url=f"/vendors/{row['pk']}/",
        )
        for row in changed
        if row["segment"]  # the first placement is not a change of quadrant
    )


POLICY_EDITABLE = frozenset(
    {
        *(f"weight_{factor}" for factor in segmentation.FACTOR_FIELD),
        "profit_threshold",
        "risk_threshold",
        "spend_full_scale",
        "base_currency",
    }
)


def segmentation_policy_update(
    *, actor: Any, expected_version: int, reason: str = "", **changes: Any
) -> SegmentationPolicy:
    """Change weights or thresholds; every vendor is re-placed in the same transaction."""
    policy = segmentation_policy()
    require(actor, Action.CHANGE, policy)
    refuse_unknown_fields(changes, POLICY_EDITABLE)

    def validate(candidate: SegmentationPolicy) -> None:
        validate_fields(candidate)
        problems = segmentation.check_weights(segmentation.Policy.from_model(candidate).weights)
        if problems:
            raise DomainError(" ".join(problems), field="weights", code="weights")

    with transaction.atomic():
        updated = update_record(
            policy,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            reason=reason,
            validate=validate,
        )
        segment_suppliers(cause=f"Segmentation policy version {updated.version}")
    return updated


def playbook_update(
    *, actor: Any, playbook: SegmentPlaybook, expected_version: int, **changes: Any
) -> SegmentPlaybook:
    require(actor, Action.CHANGE, playbook)
    allowed = frozenset(
        {
            "default_relationship_type",
            "compatible_types",
            "review_every_days",
            "assessment_depth",
            "objectives",
            "expectations",
        }
    )
    refuse_unknown_fields(changes, allowed)
    return update_record(
        playbook,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )


# --- categories --------------------------------------------------------------------------------


def category_create(
    *, actor: Any, code: str, name: str, parent: Category | None = None, description: str = ""
) -> Category:
    require_create(actor, Category)
    if Category.objects.filter(code=code).exists():
        raise DuplicateError(f"A category with code “{code}” exists.", field="code")
    category = Category(code=code, name=name.strip(), parent=parent, description=description)
    validate_fields(category)
    return create_record(category, actor=actor)


def category_update(
    *, actor: Any, category: Category, expected_version: int, **changes: Any
) -> Category:
    require(actor, Action.CHANGE, category)
    refuse_unknown_fields(changes, frozenset({"name", "parent", "description"}))
    parent = changes.get("parent")
    node = parent
    while node is not None:
        if node.pk == category.pk:
            raise DomainError("A category cannot sit below itself.", field="parent", code="cycle")
        node = node.parent
    return update_record(
        category,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )


# --- strategy ----------------------------------------------------------------------------------

STRATEGY_EDITABLE = frozenset(
    {
        "objectives",
        "expectations",
        "review_every_days",
        "information_sharing",
        "escalation_ladder",
        "raci",
        "resource_hours_per_month",
        "resource_budget",
        "resource_currency",
    }
)
RACI_VALUES = frozenset({"R", "A", "C", "I"})


def _check_strategy(strategy: SupplierStrategy) -> None:
    validate_fields(strategy)
    ladder = strategy.escalation_ladder
    if not isinstance(ladder, list) or not all(
        isinstance(step, dict) and str(step.get("role", "")).strip() for step in ladder
    ):
        raise DomainError(
            'Each escalation step needs a role, e.g. {"role": "Head of procurement", '
            '"after_days": 5}.',
            field="escalation_ladder",
        )
    previous = -1
    for number, step in enumerate(ladder, start=1):
        after = step.get("after_days", 0)
        if not isinstance(after, int) or after < previous:
            raise DomainError(
                f"Escalation step {number}: after_days must be a whole number, not less than the "
                "step before.",
                field="escalation_ladder",
            )
        previous = after
    raci = strategy.raci
    if not isinstance(raci, dict):
        raise DomainError("RACI is a table of activities and functions.", field="raci")
    for activity, parts in raci.items():
        if not isinstance(parts, dict) or not set(parts.values()) <= RACI_VALUES:
            raise DomainError(
                f"RACI for “{activity}”: each function is R, A, C or I.", field="raci"
            )
        if list(parts.values()).count("A") > 1:
            raise DomainError(
                f"RACI for “{activity}”: exactly one function is accountable.", field="raci"
            )


def strategy_get_or_create(*, actor: Any, supplier: Supplier) -> SupplierStrategy:
    """The vendor's strategy; a new one starts from its quadrant's playbook."""
    existing = SupplierStrategy.objects.filter(supplier=supplier).first()
    if existing is not None:
        return existing
    require(actor, Action.CHANGE, supplier)
    playbook = SegmentPlaybook.objects.filter(segment=supplier.segment).first()
    strategy = SupplierStrategy(
        supplier=supplier,
        objectives=playbook.objectives if playbook else "",
        expectations=playbook.expectations if playbook else "",
    )
    return create_record(strategy, actor=actor, reason="Started from the quadrant's playbook")


def strategy_update(
    *,
    actor: Any,
    strategy: SupplierStrategy,
    expected_version: int,
    resource_people: Iterable[Any] | None = None,
    **changes: Any,
) -> SupplierStrategy:
    require(actor, Action.CHANGE, strategy)
    refuse_unknown_fields(changes, STRATEGY_EDITABLE)
    return update_record(
        strategy,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many={"resource_people": list(resource_people)} if resource_people is not None else None,
        validate=_check_strategy,
    )


def kpi_add(
    *,
    actor: Any,
    strategy: SupplierStrategy,
    name: str,
    target: Decimal,
    unit: str = "",
    direction: str = "higher",
) -> StrategyKpi:
    require_create(actor, StrategyKpi, parent=strategy)
    if strategy.kpis.active().filter(name__iexact=name.strip()).exists():
        raise DuplicateError(f"The strategy has a KPI named “{name}” already.", field="name")
    kpi = StrategyKpi(
        strategy=strategy, name=name.strip(), target=target, unit=unit, direction=direction
    )
    validate_fields(kpi)
    return create_record(kpi, actor=actor)


def lever_add(
    *,
    actor: Any,
    strategy: SupplierStrategy,
    kind: str,
    description: str,
    expected_saving: Decimal | None = None,
    currency: str = "EUR",
) -> NegotiationLever:
    require_create(actor, NegotiationLever, parent=strategy)
    lever = NegotiationLever(
        strategy=strategy,
        kind=kind,
        description=description.strip(),
        expected_saving=expected_saving,
        currency=currency,
    )
    validate_fields(lever)
    return create_record(lever, actor=actor)


def kpi_update(
    *, actor: Any, kpi: StrategyKpi, expected_version: int, **changes: Any
) -> StrategyKpi:
    require(actor, Action.CHANGE, kpi)
    refuse_unknown_fields(changes, frozenset({"name", "unit", "target", "direction"}))
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        clash = kpi.strategy.kpis.active().filter(name__iexact=changes["name"]).exclude(pk=kpi.pk)
        if clash.exists():
            raise DuplicateError(
                f"The strategy has a KPI named “{changes['name']}” already.", field="name"
            )
    return update_record(
        kpi,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )


def lever_update(
    *, actor: Any, lever: NegotiationLever, expected_version: int, **changes: Any
) -> NegotiationLever:
    require(actor, Action.CHANGE, lever)
    refuse_unknown_fields(
        changes, frozenset({"kind", "description", "expected_saving", "currency", "in_play"})
    )
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    return update_record(
        lever,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )
