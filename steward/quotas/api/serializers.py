"""Serializers of the quotas API: outputs render rows and figures, inputs only parse types (the
services decide what may change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework import serializers

from steward.catalog.models import Product
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.models import Relationship
from steward.people.selectors import internal_user_choices
from steward.quotas import selectors
from steward.quotas.choices import CostKind
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective

User = get_user_model()
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}
FIGURE: dict[str, Any] = {"max_digits": 30, "decimal_places": 2}  # sums and ratios


def _people(user: Any) -> QuerySet[Any]:
    return internal_user_choices(user=user)


def _accounts(user: Any) -> QuerySet[Relationship]:
    return selectors.fact_accounts(user=user)


def _products(user: Any) -> QuerySet[Product]:
    return Product.objects.restrict(user, Action.VIEW)


def _money(help_text: str = "", **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(min_value=Decimal(0), help_text=help_text, **MONEY, **kwargs)


class QuotasImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX; the first row names the columns.")


class QuotasImportResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="Rows added or changed.")


# --- quotas --------------------------------------------------------------------------------------


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quota
        fields = [
            "id",
            "person",
            "starts_on",
            "ends_on",
            "currency",
            "sales_target",
            "margin_target",
            "notes",
            "created_at",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class QuotaFieldsSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code.")
    sales_target = _money("Bookings to close in the period.")
    margin_target = _money("Gross profit to close in the period.")
    notes = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    version = version_field()


class QuotaInputSerializer(QuotaFieldsSerializer):
    person = VisibleRelatedField(model=User, choices=_people, help_text="One of your reports.")


class QuotaUpdateSerializer(QuotaFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


# --- revenue and costs ---------------------------------------------------------------------------


class AccountRevenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountRevenue
        fields = [
            "id",
            "relationship",
            "month",
            "product",
            "currency",
            "revenue",
            "cost",
            "created_at",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class AccountRevenueFieldsSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month; kept as its first day.")
    product = VisibleRelatedField(
        model=Product, choices=_products, required=False, allow_null=True, help_text="Empty: total."
    )
    currency = serializers.CharField(max_length=3)
    revenue = _money()
    cost = _money("Cost of goods sold.", required=False)
    version = version_field()


class AccountRevenueInputSerializer(AccountRevenueFieldsSerializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_accounts)


class AccountRevenueUpdateSerializer(AccountRevenueFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ServiceCostSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCost
        fields = [
            "id",
            "relationship",
            "month",
            "kind",
            "currency",
            "amount",
            "notes",
            "created_at",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class ServiceCostFieldsSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month; kept as its first day.")
    kind = serializers.ChoiceField(choices=CostKind.choices)
    currency = serializers.CharField(max_length=3)
    amount = _money()
    notes = serializers.CharField(max_length=255, allow_blank=True, required=False)
    version = version_field()


class ServiceCostInputSerializer(ServiceCostFieldsSerializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_accounts)


class ServiceCostUpdateSerializer(ServiceCostFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


# --- training ------------------------------------------------------------------------------------


class TrainingObjectiveSerializer(serializers.ModelSerializer):
    completed_in_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrainingObjective
        fields = [
            "id",
            "person",
            "title",
            "required",
            "due_on",
            "completed_on",
            "completed_in_time",
            "evidence",
            "created_at",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class TrainingObjectiveFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    required = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]
    due_on = serializers.DateField()
    version = version_field()


class TrainingObjectiveInputSerializer(TrainingObjectiveFieldsSerializer):
    person = VisibleRelatedField(model=User, choices=_people, help_text="One of your reports.")


class TrainingObjectiveUpdateSerializer(TrainingObjectiveFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class CompletionSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, help_text="Empty: today.")
    evidence = serializers.CharField(max_length=255, allow_blank=True, required=False)
    version = version_field()


# --- figures -------------------------------------------------------------------------------------


class AttainmentFigureSerializer(serializers.Serializer):
    target = serializers.DecimalField(**FIGURE)
    prorated = serializers.DecimalField(**FIGURE)
    achieved = serializers.DecimalField(**FIGURE)
    percent = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    on_pace = serializers.BooleanField()


class AttainmentRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    quota = serializers.IntegerField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    bookings = AttainmentFigureSerializer()
    gross_profit = AttainmentFigureSerializer()


class AttainmentSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="Every amount's currency.")
    on = serializers.DateField(help_text="The day attainment is measured to.")
    rows = AttainmentRowSerializer(many=True)
    total = AttainmentRowSerializer(allow_null=True, help_text="The team's total (team only).")


class AttainmentQuerySerializer(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Default: you."
    )
    team = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Your reports and their total, in the base currency.",
    )
    on = serializers.DateField(required=False, help_text="Default: today.")


class PeriodQuerySerializer(serializers.Serializer):
    first = serializers.DateField(required=False, help_text="First month (default: 12 months ago).")
    last = serializers.DateField(required=False, help_text="Last month (default: last month).")


class RetentionQuerySerializer(PeriodQuerySerializer):
    owner = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Accounts this person owns."
    )
    team = serializers.BooleanField(
        required=False, default=False, help_text="Accounts owned by you and your reports."
    )


class ProfitabilitySerializer(serializers.Serializer):
    account = serializers.IntegerField()
    currency = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField()
    revenue = serializers.DecimalField(**FIGURE)
    cost_of_goods = serializers.DecimalField(**FIGURE)
    gross_margin = serializers.DecimalField(max_digits=30, decimal_places=2)
    cost_to_serve = serializers.DecimalField(**FIGURE)
    net_margin = serializers.DecimalField(max_digits=30, decimal_places=2)
    gross_margin_percent = serializers.DecimalField(**FIGURE, allow_null=True)
    net_margin_percent = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    expected_margin_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    meets_expectation = serializers.BooleanField(allow_null=True)


class RetentionSerializer(serializers.Serializer):
    currency = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField()
    base_first = serializers.DateField()
    base_last = serializers.DateField()
    accounts = serializers.IntegerField(help_text="Accounts with revenue in the base period.")
    churned = serializers.IntegerField()
    base_revenue = serializers.DecimalField(max_digits=30, decimal_places=2)
    current_revenue = serializers.DecimalField(max_digits=30, decimal_places=2)
    nrr = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    grr = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)


class MeasureCellSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    display = serializers.CharField(allow_blank=True)
    meets = serializers.BooleanField(allow_null=True)


class AccountabilityRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    roll_up = serializers.BooleanField()
    depth = serializers.IntegerField()
    measures = MeasureCellSerializer(many=True)


class AccountabilityMeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    help = serializers.CharField(allow_blank=True)


class AccountabilitySerializer(serializers.Serializer):
    on = serializers.DateField()
    measures = AccountabilityMeasureSerializer(many=True)
    rows = AccountabilityRowSerializer(many=True)
