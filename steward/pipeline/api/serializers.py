"""Serializers of the pipeline API: outputs render rows, inputs only parse types (the services
decide what may change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

from steward.accounts.models import BuyingUnit, WhitespaceCell
from steward.catalog.models import Product
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.models import Contact, Relationship, Site
from steward.people.selectors import internal_user_choices
from steward.pipeline.choices import (
    OPEN_STAGES,
    BuyingRole,
    CreditRole,
    ForecastCategory,
    PenetrationType,
    Stage,
)
from steward.pipeline.models import (
    Opportunity,
    OpportunityContact,
    OpportunityCredit,
    OpportunityLine,
    ProposalDocument,
    StageChange,
)

TEXT_MAX = 10_000
User = get_user_model()
OPEN_STAGE_CHOICES = [(stage.value, stage.label) for stage in OPEN_STAGES]


def _text(*, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    return serializers.CharField(
        max_length=max_length, allow_blank=True, required=False, default="", **kwargs
    )


def _accounts(user: Any) -> QuerySet[Relationship]:
    return Relationship.objects.restrict(user, Action.VIEW).filter(side="demand")


def _opportunities(user: Any) -> QuerySet[Opportunity]:
    return Opportunity.objects.restrict(user, Action.VIEW)


def _sites(user: Any) -> QuerySet[Site]:
    return Site.objects.restrict(user, Action.VIEW)


def _units(user: Any) -> QuerySet[BuyingUnit]:
    return BuyingUnit.objects.restrict(user, Action.VIEW)


def _cells(user: Any) -> QuerySet[WhitespaceCell]:
    return WhitespaceCell.objects.restrict(user, Action.VIEW)


def _products(user: Any) -> QuerySet[Product]:
    return Product.objects.restrict(user, Action.VIEW)


def _contacts(user: Any) -> QuerySet[Contact]:
    return Contact.objects.restrict(user, Action.VIEW)


def _people(user: Any) -> QuerySet[Any]:
    return internal_user_choices(user=user) if user is not None else User.objects.none()


def _money(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text=help_text
    )


# --- opportunities -----------------------------------------------------------------------------


class OpportunitySerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="relationship.organization.display_name")
    owner_name = serializers.SerializerMethodField()
    margin = _money("Amount less cost.")

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "relationship",
            "account_name",
            "name",
            "owner",
            "owner_name",
            "stage",
            "probability",
            "forecast_category",
            "close_date",
            "next_step",
            "penetration_type",
            "site",
            "buying_unit",
            "whitespace_cell",
            "currency",
            "amount",
            "cost",
            "margin",
            "description",
            "closed_on",
            "lost_reason",
            "created_at",
            "archived_at",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, opportunity: Opportunity) -> str:
        owner = opportunity.owner
        return owner.get_full_name() or owner.get_username()


class OpportunityFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to you."
    )
    close_date = serializers.DateField(help_text="When it is expected to close.")
    penetration_type = serializers.ChoiceField(choices=PenetrationType.choices)
    currency = serializers.CharField(max_length=3, required=False, help_text="ISO 4217 code.")
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    buying_unit = VisibleRelatedField(
        model=BuyingUnit, choices=_units, required=False, allow_null=True
    )
    next_step = _text(max_length=255)
    description = _text()
    forecast_category = serializers.ChoiceField(
        choices=ForecastCategory.choices,
        required=False,
        help_text="Defaults from the stage; closed is only ever a won one's.",
    )
    version = version_field()


class OpportunityInputSerializer(OpportunityFieldsSerializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_accounts, help_text="The customer account."
    )
    stage = serializers.ChoiceField(choices=OPEN_STAGE_CHOICES, required=False)


class OpportunityUpdateSerializer(OpportunityFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class OpportunityMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=OPEN_STAGE_CHOICES)
    version = version_field()


class OpportunityWinSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, help_text="Defaults to today.")
    version = version_field()


class OpportunityLoseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)
    closed_on = serializers.DateField(required=False, help_text="Defaults to today.")
    version = version_field()


class OpportunityReopenSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=OPEN_STAGE_CHOICES)
    close_date = serializers.DateField()
    version = version_field()


class OpportunityFromCellSerializer(serializers.Serializer):
    cell = VisibleRelatedField(model=WhitespaceCell, choices=_cells)


class CreditSplitSerializer(serializers.Serializer):
    user = VisibleRelatedField(model=User, choices=_people)
    role = serializers.ChoiceField(choices=CreditRole.choices)
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(100)
    )


class CreditsSetSerializer(serializers.Serializer):
    splits = CreditSplitSerializer(
        many=True, help_text="Shares adding up to exactly 100; empty gives the owner 100 %."
    )


# --- parts -------------------------------------------------------------------------------------


class OpportunityLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name")

    class Meta:
        model = OpportunityLine
        fields = [
            "id",
            "opportunity",
            "product",
            "product_name",
            "quantity",
            "unit_price",
            "discount_percent",
            "unit_cost",
            "amount",
            "cost",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class OpportunityLineFieldsSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit_price = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text="In the opportunity's currency; defaults to the list price converted.",
    )
    discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
    )
    version = version_field()


class OpportunityLineInputSerializer(OpportunityLineFieldsSerializer):
    opportunity = VisibleRelatedField(model=Opportunity, choices=_opportunities)
    product = VisibleRelatedField(model=Product, choices=_products)


class OpportunityLineUpdateSerializer(OpportunityLineFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class OpportunityContactSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.__str__")

    class Meta:
        model = OpportunityContact
        fields = [
            "id",
            "opportunity",
            "contact",
            "contact_name",
            "buying_role",
            "notes",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class OpportunityContactInputSerializer(serializers.Serializer):
    opportunity = VisibleRelatedField(model=Opportunity, choices=_opportunities)
    contact = VisibleRelatedField(model=Contact, choices=_contacts)
    buying_role = serializers.ChoiceField(choices=BuyingRole.choices)
    notes = _text()
    version = version_field()


class OpportunityContactUpdateSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    version = version_field()


class OpportunityCreditSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpportunityCredit
        fields = ["id", "opportunity", "user", "role", "percent", "archived_at", "version"]
        read_only_fields = fields


class ProposalDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalDocument
        fields = [
            "id",
            "opportunity",
            "title",
            "number",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "note",
            "uploaded_by",
            "created_at",
            "archived_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document: ProposalDocument) -> str:
        return reverse("proposal-document-download", args=[document.pk])


class ProposalDocumentInputSerializer(serializers.Serializer):
    opportunity = VisibleRelatedField(model=Opportunity, choices=_opportunities)
    title = serializers.CharField(max_length=200, help_text="The same title makes a new version.")
    note = _text(max_length=255)
    file = serializers.FileField()


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = serializers.ChoiceField(
        choices=Stage.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty on the record of the opportunity's opening.",
    )

    class Meta:
        model = StageChange
        fields = [
            "id",
            "opportunity",
            "from_stage",
            "to_stage",
            "probability",
            "forecast_category",
            "amount",
            "currency",
            "close_date",
            "changed_at",
            "actor",
        ]
        read_only_fields = fields


# --- the forecast ------------------------------------------------------------------------------

PERIODS = [("month", "month"), ("quarter", "quarter"), ("year", "year")]


class ForecastQuerySerializer(serializers.Serializer):
    owner = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="One owner's forecast."
    )
    team = serializers.BooleanField(
        required=False, help_text="You and your direct and indirect reports."
    )
    period = serializers.ChoiceField(
        choices=PERIODS, required=False, help_text="The period around ``on`` (this quarter)."
    )
    on = serializers.DateField(required=False, help_text="A day in the period; today.")
    start = serializers.DateField(required=False, help_text="Any dates: the first day…")
    end = serializers.DateField(required=False, help_text="…and the last.")
    currency = serializers.CharField(
        required=False, max_length=3, help_text="ISO 4217; the base currency by default."
    )
    as_of = serializers.DateField(required=False, help_text="Rates of this day for open ones.")


class TotalsSerializer(serializers.Serializer):
    closed = _money()
    commit = _money()
    best_case = _money()
    pipeline = _money()
    weighted = _money()


class ForecastMonthSerializer(TotalsSerializer):
    month = serializers.DateField(read_only=True)


class ForecastSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    as_of = serializers.DateField(read_only=True)
    owner_ids = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, allow_null=True
    )
    totals = TotalsSerializer(read_only=True)
    months = ForecastMonthSerializer(many=True, read_only=True)
