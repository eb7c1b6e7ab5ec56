"""API serializers for vendors, their checklist, prequalifications and lifecycle records.

In the API a supplier record is a *vendor* (the resource is ``/vendors/``; other records name it
in a ``vendor`` field). Output serializers render rows the viewsets fetched through the access
policy; input serializers only parse and check types, and the services decide the rest. Related
rows are taken by id from the rows the requesting user may see.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.choices import Tier
from steward.parties.models import Organization, Relationship
from steward.parties.selectors import organization_choices
from steward.people.selectors import internal_user_choices
from steward.suppliers import lifecycle
from steward.suppliers.choices import (
    ChecklistItemCode,
    RelationshipType,
    Segment,
    Stage,
    SupplyNature,
)
from steward.suppliers.models import Category, ChecklistItem, Prequalification, Supplier

User = get_user_model()
SMALL_MAX = 32_767  # the largest positive small integer every database stores


def visible(model: Any) -> Any:
    return lambda user: model.objects.restrict(user, Action.VIEW)


# The largest id a database stores. Django refuses larger ids in lookups on its own id columns
# but not on a vendor's, which is at the same time the key of its relationship.
MAX_ID = 2**63 - 1


def _digits(value: Any) -> bool:
    text = str(value)
    return not isinstance(value, bool) and text.isascii() and text.isdigit()


def is_vendor_id(value: Any) -> bool:
    """Could ``value`` (from a path or a body) name a vendor at all?"""
    return _digits(value) and 0 < int(str(value)) <= MAX_ID


class VendorField(VisibleRelatedField):
    """A vendor the requesting user may see, by id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model=Supplier, choices=visible(Supplier), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int | str) and _digits(data) and not is_vendor_id(data):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def vendor_field(**kwargs: Any) -> VendorField:
    return VendorField(help_text="Vendor id.", **kwargs)


def _level(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, help_text=help_text
    )


def _percent(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


# --- vendors -----------------------------------------------------------------------------------


class VendorListSerializer(RecordOutputSerializer):
    """A vendor as lists show it: the relationship it extends, its stage and its quadrant."""

    id = serializers.IntegerField(
        source="pk", read_only=True, help_text="The id of the relationship it extends."
    )
    organization = serializers.IntegerField(source="relationship.organization_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    owner = serializers.IntegerField(
        source="relationship.owner_id", help_text="Id of the user who owns the relationship."
    )
    tier = serializers.ChoiceField(choices=Tier.choices, source="relationship.tier")
    relationship_type = serializers.ChoiceField(choices=RelationshipType.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_changed_at = serializers.DateTimeField(allow_null=True)
    categories = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Category.objects.none(), help_text="Category ids."
    )
    annual_spend = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Spend over the last twelve months, in the policy's base currency.",
    )
    category_share = _percent("Share of the category's spend, in percent.")
    criticality = _level("1 (low) to 5 (critical).")
    process_integration = _level("1 to 5.")
    knowledge_sharing = _level("1 to 5.")
    alternatives = serializers.IntegerField(
        allow_null=True, help_text="Qualified alternative suppliers (0 = sole source)."
    )
    switching_cost = _level("1 (low) to 5 (prohibitive).")
    market_scarcity = _level("1 (ample) to 5 (scarce).")
    risk_score = _percent("0 (no risk) to 100.")
    supply_nature = serializers.ChoiceField(choices=SupplyNature.choices, allow_blank=True)
    profit_impact = _percent("Computed, 0 to 100.")
    supply_risk = _percent("Computed, 0 to 100.")
    computed_segment = serializers.ChoiceField(
        choices=Segment.choices, allow_blank=True, help_text="The quadrant the data places it in."
    )
    segment_override = serializers.ChoiceField(
        choices=Segment.choices, allow_blank=True, help_text="The quadrant set by judgement."
    )
    override_reason = serializers.CharField(allow_blank=True)
    segment = serializers.ChoiceField(
        choices=Segment.choices,
        allow_blank=True,
        help_text="The override when set, else the computed quadrant (blank: not placed).",
    )
    segmented_at = serializers.DateTimeField(allow_null=True)


class NextStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Checklist items that still block this move."
    )


class VendorSerializer(VendorListSerializer):
    """One vendor, with what needs attention and the stages it may move to next.

    The viewset reads the flags and next stages through the selectors and passes them in the
    context as ``vendor_state``.
    """

    summary = serializers.CharField(source="relationship.summary", allow_blank=True)
    mismatch = serializers.SerializerMethodField(
        help_text="The relationship type does not suit the quadrant's playbook."
    )
    stalled = serializers.SerializerMethodField(help_text="Qualification or onboarding stalled.")
    lapsed_prequalification = serializers.SerializerMethodField(
        help_text="A prequalification ran out and was not renewed."
    )
    next_stages = serializers.SerializerMethodField(
        help_text="Where the vendor may move now, each with what still blocks it."
    )

    def _state(self) -> dict[str, Any]:
        return self.context["vendor_state"]

    def get_mismatch(self, instance: Supplier) -> bool:
        return bool(self._state()["flags"].mismatch)

    def get_stalled(self, instance: Supplier) -> bool:
        return bool(self._state()["flags"].stalled)

    def get_lapsed_prequalification(self, instance: Supplier) -> bool:
        return bool(self._state()["flags"].lapsed_prequalification)

    @extend_schema_field(NextStageSerializer(many=True))
    def get_next_stages(self, instance: Supplier) -> list[dict[str, Any]]:
        return [
            {"stage": step["stage"], "missing": step["missing"]}
            for step in self._state()["next_stages"]
        ]


class VendorInputSerializer(serializers.Serializer):
    """The type, categories and segmentation inputs; the vendor is re-placed when they change."""

    relationship_type = serializers.ChoiceField(choices=RelationshipType.choices, required=False)
    categories = VisibleRelatedField(
        model=Category,
        choices=lambda user: Category.objects.restrict(user, Action.VIEW).active(),
        many=True,
        required=False,
        help_text="Category ids.",
    )
    annual_spend = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text="Spend over the last twelve months, in the policy's base currency.",
    )
    category_share = _percent(
        "Share of its categories' spend, in percent; derived instead when the vendor has "
        "categories and spend."
    )
    criticality = _level("1 (low) to 5 (critical).")
    process_integration = _level("1 to 5.")
    knowledge_sharing = _level("1 to 5.")
    alternatives = serializers.IntegerField(
        min_value=0,
        max_value=SMALL_MAX,
        required=False,
        allow_null=True,
        help_text="Qualified alternative suppliers (0 = sole source).",
    )
    switching_cost = _level("1 (low) to 5 (prohibitive).")
    market_scarcity = _level("1 (ample) to 5 (scarce).")
    risk_score = _percent("0 (no risk) to 100.")
    supply_nature = serializers.ChoiceField(
        choices=SupplyNature.choices, allow_blank=True, required=False
    )


class VendorCreateSerializer(VendorInputSerializer):
    """A new vendor: on an organization (a new supply relationship) or on an existing one."""

    organization = VisibleRelatedField(
        model=Organization,
        choices=lambda user: organization_choices(user=user),
        required=False,
        help_text="Start a supply relationship with this organization …",
    )
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW).active(),
        required=False,
        help_text="… or make this existing supply-side relationship a vendor.",
    )
    owner = VisibleRelatedField(
        model=User,
        choices=lambda user: internal_user_choices(user=user),
        required=False,
        help_text="Owner of the new relationship; defaults to you.",
    )
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "organization" in attrs and "relationship" in attrs:
            raise serializers.ValidationError(
                {"relationship": [_error("Send an organization or a relationship, not both.")]}
            )
        if "organization" not in attrs and "relationship" not in attrs:
            raise serializers.ValidationError(
                {
                    "organization": [
                        _error(
                            "Name the organization (or the supply relationship) to start the "
                            "vendor on.",
                            code="required",
                        )
                    ]
                }
            )
        if "relationship" in attrs:
            for name in ("owner", "tier", "summary"):
                if name in attrs:
                    raise serializers.ValidationError(
                        {name: [_error("The relationship has its own; change it there.")]}
                    )
        return attrs


class VendorUpdateSerializer(VendorInputSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Kept in the history."
    )
    version = version_field()


class TransitionSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(max_length=2000, help_text="Why the vendor moves on.")
    version = version_field()


class SegmentOverrideSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(
        choices=Segment.choices,
        allow_blank=True,
        help_text="The quadrant the vendor belongs in by judgement; blank clears the override.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why, when setting an override (required then).",
    )
    version = version_field()


def _error(message: str, code: str = "invalid") -> serializers.ErrorDetail:
    return serializers.ErrorDetail(message, code=code)


# --- checklist, prequalifications, lifecycle and segment history --------------------------------


class ChecklistItemSerializer(RecordOutputSerializer):
    vendor = serializers.IntegerField(source="supplier_id")
    code = serializers.ChoiceField(choices=ChecklistItemCode.choices)
    label = serializers.CharField(source="get_code_display")  # type: ignore[assignment]
    stage = serializers.SerializerMethodField(help_text="The stage this item belongs to.")
    done = serializers.BooleanField()
    done_by = serializers.IntegerField(source="done_by_id", allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(allow_blank=True)

    @extend_schema_field(serializers.ChoiceField(choices=Stage.choices))
    def get_stage(self, instance: ChecklistItem) -> str:
        return next(s for s, codes in lifecycle.CHECKLIST.items() if instance.code in codes)


class ChecklistItemUpdateSerializer(serializers.Serializer):
    done = serializers.BooleanField(required=False)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Evidence or where it is filed."
    )
    version = version_field()


class PrequalificationSerializer(RecordOutputSerializer):
    vendor = serializers.IntegerField(source="supplier_id")
    category = serializers.IntegerField(source="category_id")
    granted_on = serializers.DateField()
    expires_on = serializers.DateField()
    granted_by = serializers.IntegerField(source="granted_by_id")
    revoked_on = serializers.DateField(allow_null=True)
    revoked_reason = serializers.CharField(allow_blank=True)
    current = serializers.SerializerMethodField(help_text="Neither revoked nor expired today.")

    def get_current(self, instance: Prequalification) -> bool:
        return instance.revoked_on is None and instance.expires_on >= timezone.localdate()


class PrequalificationCreateSerializer(serializers.Serializer):
    vendor = vendor_field()
    category = VisibleRelatedField(
        model=Category,
        choices=lambda user: Category.objects.restrict(user, Action.VIEW).active(),
        help_text="Category id.",
    )
    expires_on = serializers.DateField(
        required=False, help_text="Defaults to two years from today."
    )


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it is revoked.")
    version = version_field()


class LifecycleTransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = serializers.IntegerField(source="supplier_id")
    from_stage = serializers.ChoiceField(choices=Stage.choices)
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    actor = serializers.IntegerField(source="actor_id", help_text="Who moved the vendor.")
    at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)


class SegmentChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = serializers.IntegerField(source="supplier_id")
    from_segment = serializers.ChoiceField(choices=Segment.choices, allow_blank=True)
    to_segment = serializers.ChoiceField(choices=Segment.choices, allow_blank=True)
    profit_impact = _percent("Profit impact at the change.")
    supply_risk = _percent("Supply risk at the change.")
    at = serializers.DateTimeField()
    cause = serializers.CharField()
