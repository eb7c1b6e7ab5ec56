"""API endpoints for the supply side's reference data: categories, the segmentation policy and
the quadrant playbooks.

All three are administered (see ``AccessSpec.administered``): every internal user reads them,
only administrators create or change them. Writes refuse anyone else with 403 before the body is
read, so a read-only caller learns nothing from validation messages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, require_create
from steward.core.api.fields import FlatListField, VisibleRelatedField, version_field
from steward.core.api.viewsets import ErrorCodes, RecordViewSet
from steward.core.filtersets import StewardFilterSet
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.api.views import PartiesViewSet
from steward.suppliers import selectors, services
from steward.suppliers.api.serializers import SMALL_MAX
from steward.suppliers.choices import AssessmentDepth, RelationshipType, Segment
from steward.suppliers.filtersets import CategoryFilterSet
from steward.suppliers.models import Category, SegmentationPolicy, SegmentPlaybook

CURRENCY = r"^[A-Z]{3}$"
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


def _active_categories(user: Any) -> QuerySet[Category]:
    return Category.objects.restrict(user, Action.VIEW).active()


# --- categories --------------------------------------------------------------------------------


class CategorySerializer(RecordOutputSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, help_text="Parent category id."
    )
    description = serializers.CharField(allow_blank=True)


class CategoryInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    parent = VisibleRelatedField(  # type: ignore[assignment]
        model=Category,
        choices=_active_categories,
        required=False,
        allow_null=True,
        help_text="Parent category id.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class CategoryCreateSerializer(CategoryInputSerializer):
    code = serializers.SlugField(
        max_length=40, help_text="A short unique code, e.g. cloud-hosting."
    )


class CategoryUpdateSerializer(CategoryInputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    version = version_field()


@extend_schema_view(
    create=extend_schema(description="Add a category (administrators only)."),
    destroy=extend_schema(description="Archive the category (it can be restored)."),
)
class CategoryViewSet(PartiesViewSet):
    queryset = Category.objects.none()
    filterset_class = CategoryFilterSet
    output_serializer_class = CategorySerializer
    create_serializer_class = CategoryCreateSerializer
    update_serializer_class = CategoryUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"code": ("duplicate",)},
        "update": {"parent": ("cycle",)},
        "partial_update": {"parent": ("cycle",)},
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Only administrators add categories: refuse others before reading the body.
        require_create(request.user, Category)
        return super().create(request, *args, **kwargs)

    def select_one(self, action: Action = Action.VIEW) -> Category:
        return selectors.category_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Category:
        return services.category_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Category, data: dict[str, Any], version: int) -> Any:
        return services.category_update(
            actor=self.request.user, category=record, expected_version=version, **data
        )


# --- the segmentation policy (one record) ------------------------------------------------------


def _weight() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=100, required=False)


def _threshold() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        help_text="At or above this, the axis counts as high.",
    )


class PolicyFieldsSerializer(serializers.Serializer):
    """Weights of each axis's factors (each axis sums to 100), thresholds, full-scale spend."""

    weight_spend = _weight()
    weight_category_share = _weight()
    weight_criticality = _weight()
    weight_process_integration = _weight()
    weight_knowledge_sharing = _weight()
    weight_alternatives = _weight()
    weight_switching_cost = _weight()
    weight_market_scarcity = _weight()
    weight_risk_score = _weight()
    weight_supply_nature = _weight()
    profit_threshold = _threshold()
    risk_threshold = _threshold()
    spend_full_scale = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Annual spend that scores the full 100 points.",
    )
    base_currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )


class SegmentationPolicySerializer(RecordOutputSerializer, PolicyFieldsSerializer):
    """The segmentation policy as it stands."""


class SegmentationPolicyUpdateSerializer(PolicyFieldsSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Kept in the history."
    )
    version = version_field()


@extend_schema_view(
    retrieve=extend_schema(description="The segmentation policy (there is exactly one)."),
    partial_update=extend_schema(
        description=(
            "Change weights, thresholds or the full-scale spend (administrators only). Each "
            "axis's weights must add up to 100 (400 on `weights` otherwise); saving re-places "
            "every vendor."
        )
    ),
)
class SegmentationPolicyViewSet(RecordViewSet):
    """One record at ``segmentation-policy/``: read it, patch it, read its history."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = SegmentationPolicy.objects.none()
    output_serializer_class = SegmentationPolicySerializer
    update_serializer_class = SegmentationPolicyUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {"partial_update": {"weights": ("weights",)}}

    def select_one(self, action: Action = Action.VIEW) -> SegmentationPolicy:
        return selectors.policy_get(user=self.request.user, action=action)

    def perform_update_record(
        self, record: SegmentationPolicy, data: dict[str, Any], version: int
    ) -> SegmentationPolicy:
        return services.segmentation_policy_update(
            actor=self.request.user,
            expected_version=version,
            reason=data.pop("reason", ""),
            **data,
        )


# --- quadrant playbooks ------------------------------------------------------------------------


class SegmentPlaybookSerializer(RecordOutputSerializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    default_relationship_type = serializers.ChoiceField(choices=RelationshipType.choices)
    compatible_types = serializers.ListField(
        child=serializers.ChoiceField(choices=RelationshipType.choices),
        help_text="Relationship types that suit this quadrant.",
    )
    review_every_days = serializers.IntegerField()
    assessment_depth = serializers.ChoiceField(choices=AssessmentDepth.choices)
    objectives = serializers.CharField(allow_blank=True)
    expectations = serializers.CharField(allow_blank=True)


class SegmentPlaybookUpdateSerializer(serializers.Serializer):
    default_relationship_type = serializers.ChoiceField(
        choices=RelationshipType.choices, required=False
    )
    compatible_types = FlatListField(
        child=serializers.ChoiceField(choices=RelationshipType.choices),
        required=False,
        max_length=len(RelationshipType.choices),
        help_text="Relationship types that suit this quadrant.",
    )
    review_every_days = serializers.IntegerField(min_value=1, max_value=SMALL_MAX, required=False)
    assessment_depth = serializers.ChoiceField(choices=AssessmentDepth.choices, required=False)
    objectives = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    expectations = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = version_field()


class SegmentPlaybookFilterSet(StewardFilterSet):
    segment = django_filters.MultipleChoiceFilter(choices=Segment.choices)

    class Meta:
        model = SegmentPlaybook
        fields = ["segment", "archived"]


class SegmentPlaybookViewSet(RecordViewSet):
    """What each quadrant implies; one playbook per quadrant, changed by administrators."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = SegmentPlaybook.objects.none()
    filterset_class = SegmentPlaybookFilterSet
    output_serializer_class = SegmentPlaybookSerializer
    update_serializer_class = SegmentPlaybookUpdateSerializer

    def perform_update_record(
        self, record: SegmentPlaybook, data: dict[str, Any], version: int
    ) -> SegmentPlaybook:
        if "compatible_types" in data:
            data["compatible_types"] = list(dict.fromkeys(data["compatible_types"]))
        return services.playbook_update(
            actor=self.request.user, playbook=record, expected_version=version, **data
        )
