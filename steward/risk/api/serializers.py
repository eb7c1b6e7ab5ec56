"""API serializers of third-party risk. Output serializers render rows the viewsets fetched
through the access policy; input serializers only parse types (the services decide the rest);
related rows are taken by id among those the requesting user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from steward.core.access import Action, principal_for
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Organization, Relationship
from steward.people.selectors import internal_user_choices
from steward.risk.choices import (
    DataHandled,
    Depth,
    FindingSeverity,
    FindingSource,
    FindingStatus,
    RegulatoryExposure,
    RiskCategory,
    RiskRating,
    RiskStatus,
    RiskTreatment,
    Substitutability,
    SystemAccess,
)
from steward.risk.models import RISK_FUNCTIONS, Subcontractor
from steward.suppliers.models import Supplier

User = get_user_model()


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _works_risk(user: Any) -> bool:
    principal = principal_for(user)
    return principal.is_internal and principal.function in RISK_FUNCTIONS


def _vendors(user: Any) -> Any:
    # IT security works the risk records of every vendor (their access spec names the
    # function), so it may name any vendor here even where it cannot open the vendor's page.
    return (
        Supplier.objects.all()
        if _works_risk(user)
        else Supplier.objects.restrict(user, Action.VIEW)
    )


def _relationships(user: Any) -> Any:
    if _works_risk(user):
        return Relationship.objects.all()
    return Relationship.objects.restrict(user, Action.VIEW)


# --- tiering profiles --------------------------------------------------------------------------


class RiskProfileSerializer(RecordOutputSerializer):
    id = serializers.IntegerField(source="pk", read_only=True, help_text="The vendor's id.")
    supplier = serializers.IntegerField(source="supplier_id")
    organization_name = serializers.CharField(source="supplier.relationship.organization")
    data_handled = serializers.ChoiceField(choices=DataHandled.choices)
    system_access = serializers.ChoiceField(choices=SystemAccess.choices)
    business_criticality = serializers.IntegerField()
    substitutability = serializers.ChoiceField(choices=Substitutability.choices)
    regulatory_exposure = serializers.ChoiceField(choices=RegulatoryExposure.choices)
    points = serializers.IntegerField(help_text="0 to 18, from the intake and the annual spend.")
    tier = serializers.IntegerField(help_text="1 (most critical) to 4.")
    depth = serializers.ChoiceField(source="policy.depth", choices=Depth.choices)
    reassess_months = serializers.IntegerField(source="policy.reassess_months")
    last_assessed_on = serializers.DateField(allow_null=True)
    next_assessment_due = serializers.DateField(allow_null=True)


class _IntakeFields(serializers.Serializer):
    data_handled = serializers.ChoiceField(choices=DataHandled.choices, required=False)
    system_access = serializers.ChoiceField(choices=SystemAccess.choices, required=False)
    business_criticality = serializers.IntegerField(required=False, min_value=1, max_value=5)
    substitutability = serializers.ChoiceField(choices=Substitutability.choices, required=False)
    regulatory_exposure = serializers.ChoiceField(
        choices=RegulatoryExposure.choices, required=False
    )


class RiskProfileCreateSerializer(_IntakeFields):
    supplier = VisibleRelatedField(model=Supplier, choices=_vendors, help_text="The vendor.")


class RiskProfileUpdateSerializer(_IntakeFields):
    version = version_field()


# --- the register ------------------------------------------------------------------------------


class RiskSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    category = serializers.ChoiceField(choices=RiskCategory.choices)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    inherent_likelihood = serializers.IntegerField()
    inherent_impact = serializers.IntegerField()
    inherent_score = serializers.IntegerField(help_text="Likelihood x impact, 1 to 25.")
    inherent_rating = serializers.ChoiceField(choices=RiskRating.choices)
    controls = serializers.CharField(allow_blank=True)
    residual_likelihood = serializers.IntegerField()
    residual_impact = serializers.IntegerField()
    residual_score = serializers.IntegerField(help_text="At most the inherent score.")
    residual_rating = serializers.ChoiceField(choices=RiskRating.choices)
    treatment = serializers.ChoiceField(choices=RiskTreatment.choices)
    treatment_plan = serializers.CharField(allow_blank=True)
    owner = serializers.IntegerField(source="owner_id")
    review_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=RiskStatus.choices)
    closed_at = serializers.DateTimeField(allow_null=True)
    closure_note = serializers.CharField(allow_blank=True)


class _RiskFields(serializers.Serializer):
    category = serializers.ChoiceField(choices=RiskCategory.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    inherent_likelihood = serializers.IntegerField(min_value=1, max_value=5)
    inherent_impact = serializers.IntegerField(min_value=1, max_value=5)
    controls = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=5)
    residual_impact = serializers.IntegerField(min_value=1, max_value=5)
    treatment = serializers.ChoiceField(choices=RiskTreatment.choices, required=False)
    treatment_plan = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = VisibleRelatedField(
        model=User,
        choices=_people,
        required=False,
        help_text="Defaults to the relationship's owner.",
    )
    review_on = serializers.DateField(required=False, allow_null=True)


class RiskCreateSerializer(_RiskFields):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=_relationships,
        help_text="The relationship (a vendor's id is its relationship's id).",
    )


class RiskUpdateSerializer(_RiskFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RiskNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="Why: required.")


# --- findings ----------------------------------------------------------------------------------


class FindingSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    organization_name = serializers.CharField(source="supplier.relationship.organization")
    source = serializers.ChoiceField(choices=FindingSource.choices)  # type: ignore[assignment]
    origin = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    severity = serializers.ChoiceField(choices=FindingSeverity.choices)
    status = serializers.ChoiceField(choices=FindingStatus.choices)
    owner = serializers.IntegerField(source="owner_id")
    remediation_due_on = serializers.DateField(allow_null=True)
    remediation_plan = serializers.CharField(allow_blank=True)
    shared_with_portal = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closure_note = serializers.CharField(allow_blank=True)


class FindingCreateSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(model=Supplier, choices=_vendors, help_text="The vendor.")
    source = serializers.ChoiceField(choices=FindingSource.choices)  # type: ignore[assignment]
    title = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=FindingSeverity.choices)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    origin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner = VisibleRelatedField(model=User, choices=_people, required=False)
    remediation_due_on = serializers.DateField(required=False, allow_null=True)
    shared_with_portal = serializers.BooleanField(required=False)


class FindingUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    severity = serializers.ChoiceField(choices=FindingSeverity.choices, required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False)
    remediation_due_on = serializers.DateField(required=False, allow_null=True)
    shared_with_portal = serializers.BooleanField(required=False)
    version = version_field()


class FindingTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=FindingStatus.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Required to close, accept or reopen.",
    )


class FindingRespondSerializer(serializers.Serializer):
    remediation_plan = serializers.CharField(max_length=10_000)
    version = version_field()


# --- fourth parties ----------------------------------------------------------------------------


class SubcontractorSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.display_name")
    service = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    criticality = serializers.IntegerField()
    handles_our_data = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True)


def _organizations(user: Any) -> Any:
    return Organization.objects.restrict(user, Action.VIEW)


def _links(user: Any) -> Any:
    return Subcontractor.objects.restrict(user, Action.VIEW)


class _SubcontractorFields(serializers.Serializer):
    organization = VisibleRelatedField(model=Organization, choices=_organizations)
    service = serializers.CharField(max_length=200)
    parent = VisibleRelatedField(  # type: ignore[assignment]
        model=Subcontractor,
        choices=_links,
        required=False,
        allow_null=True,
        help_text="The link it serves under, of the same vendor.",
    )
    criticality = serializers.IntegerField(required=False, min_value=1, max_value=5)
    handles_our_data = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class SubcontractorCreateSerializer(_SubcontractorFields):
    supplier = VisibleRelatedField(model=Supplier, choices=_vendors, help_text="The vendor.")


class SubcontractorUpdateSerializer(_SubcontractorFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


# --- concentration -----------------------------------------------------------------------------


class RiskCategoryConcentrationSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category_id")
    category_name = serializers.CharField(source="category")
    amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    vendors = serializers.IntegerField()
    top_supplier = serializers.IntegerField(source="top_supplier_id")
    top_supplier_name = serializers.CharField(source="top_supplier")
    top_share = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="Percent.")


class RiskSingleSourceSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category_id")
    category_name = serializers.CharField(source="category")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier")


class RiskGroupedSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The country code, or the organization's id.")
    label = serializers.CharField()  # type: ignore[assignment]
    vendors = serializers.SerializerMethodField()
    handles_our_data = serializers.BooleanField()

    def get_vendors(self, row: Any) -> list[dict[str, Any]]:
        return [{"id": pk, "name": name} for pk, name in row.vendors]


class RiskConcentrationSerializer(serializers.Serializer):
    period_from = serializers.IntegerField(source="period.first", help_text="yyyymm")
    period_to = serializers.IntegerField(source="period.last", help_text="yyyymm")
    top_vendor_share_threshold = serializers.SerializerMethodField(
        help_text="Categories whose largest vendor holds at least this share (percent) are listed."
    )
    categories = RiskCategoryConcentrationSerializer(many=True)
    single_source = RiskSingleSourceSerializer(many=True)
    countries = RiskGroupedSerializer(many=True)
    fourth_parties = RiskGroupedSerializer(many=True)

    def get_top_vendor_share_threshold(self, row: Any) -> str:
        from steward.risk.selectors import TOP_VENDOR_SHARE

        return str(TOP_VENDOR_SHARE)
