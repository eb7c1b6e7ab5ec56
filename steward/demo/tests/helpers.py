"""What the demo tests compare: rows per table, and the data described by natural keys."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from steward.contracts.models import Contract, ContractTransition, SlaPeriodResult
from steward.demo.services import demo_load
from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.people.models import Profile
from steward.plans.models import Initiative, Milestone
from steward.reviews.models import Activity
from steward.suppliers.models import (
    ChecklistItem,
    LifecycleTransition,
    Prequalification,
    Supplier,
    SupplierStrategy,
)


def row_counts() -> dict[str, int]:
    """Rows in every table Django knows, history and m2m tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def snapshot() -> dict[str, Any]:
    """The loaded data by natural keys: what a person would see, not database ids."""
    users = get_user_model().objects.order_by("username")
    return {
        "users": [
            (
                user.username,
                user.get_full_name(),
                user.email,
                sorted(user.groups.values_list("name", flat=True)),
            )
            for user in users.prefetch_related("groups")
        ],
        "profiles": sorted(
            Profile.objects.values_list(
                "user__username",
                "kind",
                "function",
                "title",
                "manager__username",
                "organization__legal_name",
            )
        ),
        "organizations": sorted(
            (
                o.legal_name,
                o.display_name,
                o.tax_id,
                str(o.country),
                o.industry,
                o.parent.legal_name if o.parent else "",
                o.owner.username,
                tuple(sorted(t.name for t in o.tags.all())),
            )
            for o in Organization.objects.select_related("parent", "owner").prefetch_related("tags")
        ),
        "sites": sorted(
            Site.objects.values_list(
                "organization__legal_name", "name", "kind", "street", "city", "shared_with_portal"
            )
        ),
        "contacts": sorted(
            (
                c.organization.legal_name,
                c.first_name,
                c.last_name,
                c.email,
                c.title,
                tuple(sorted(r.code for r in c.roles.all())),
                c.influence,
                c.relationship_strength,
                c.shared_with_portal,
                c.archived_at is not None,
            )
            for c in Contact.objects.select_related("organization").prefetch_related("roles")
        ),
        "relationships": sorted(
            Relationship.objects.values_list(
                "organization__legal_name",
                "side",
                "owner__username",
                "tier",
                "status",
                "next_review_on",
                "summary",
                "version",
            )
        ),
        "members": sorted(
            RelationshipMember.objects.values_list(
                "relationship__organization__legal_name",
                "relationship__side",
                "user__username",
                "role",
                "access",
            )
        ),
        **_supply_side(),
        **_contracts(),
        "history": {
            label: sorted(Counter(records).items()) for label, records in _history_records().items()
        },
    }


def _supply_side() -> dict[str, Any]:
    """Vendors, their moves, strategies, initiatives and activities, by natural keys."""
    org = "relationship__organization__legal_name"
    return {
        "vendors": sorted(
            (
                s.relationship.organization.legal_name,
                s.stage,
                s.segment,
                s.segment_override,
                s.relationship_type,
                s.annual_spend,
                s.profit_impact,
                s.supply_risk,
                tuple(sorted(c.code for c in s.categories.all())),
                s.version,
            )
            for s in Supplier.objects.select_related("relationship__organization").prefetch_related(
                "categories"
            )
        ),
        "moves": sorted(
            LifecycleTransition.objects.values_list(
                f"supplier__{org}", "from_stage", "to_stage", "at", "reason", "actor__username"
            )
        ),
        "prequalifications": sorted(
            Prequalification.objects.values_list(
                f"supplier__{org}", "category__code", "granted_on", "expires_on", "revoked_on"
            )
        ),
        "strategies": sorted(
            SupplierStrategy.objects.values_list(f"supplier__{org}", "objectives", "version")
        ),
        "initiatives": sorted(
            Initiative.objects.values_list(
                org, "title", "status", "starts_on", "ends_on", "budget", "delivered_value"
            )
        ),
        "activities": sorted(
            Activity.objects.values_list(org, "kind", "subject", "occurred_on", "follow_up_on")
        ),
    }


def _contracts() -> dict[str, Any]:
    """Contracts, their moves and their service levels' periods, by natural keys."""
    return {
        "contracts": sorted(
            Contract.objects.values_list(
                "relationship__organization__legal_name",
                "title",
                "reference",
                "status",
                "start_date",
                "end_date",
                "notice_deadline",
                "annual_value",
                "created_at",
                "version",
            )
        ),
        "contract_moves": sorted(
            ContractTransition.objects.values_list(
                "contract__reference", "from_status", "to_status", "at", "actor__username"
            )
        ),
        "sla_periods": sorted(
            SlaPeriodResult.objects.values_list(
                "service_level__metric", "period_start", "value", "credit", "computed_at"
            )
        ),
    }


def _history_records() -> dict[str, list[tuple[str, str, str]]]:
    found = {}
    models = (Organization, Site, Contact, Relationship, RelationshipMember, Profile)
    supply = (Supplier, ChecklistItem, Prequalification, SupplierStrategy, Initiative, Milestone)
    for model in (*models, *supply, Activity):
        history = model.history.model
        found[model._meta.label] = [
            (kind, reason or "", user or "")
            for kind, reason, user in history.objects.values_list(
                "history_type", "history_change_reason", "history_user__username"
            )
        ]
    return found


def load_and_forget(*, seed: int) -> dict[str, Any]:
    """Load the small data into the empty test database, describe it, and roll it back."""
    with transaction.atomic():
        result = demo_load(size="small", seed=seed)
        assert result.created
        described = snapshot()
        transaction.set_rollback(True)
    return described
