"""API serializers of the service-level area: definitions, measurements, judged periods,
credits and breaches.

Outputs render rows the viewsets fetched through the access policy; inputs only parse and check
types (the SLA services decide). Related rows are taken by id among those the user may see.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from steward.contracts.models import Contract
from steward.contracts.models.sla import (
    AGGREGATION_CHOICES,
    DIRECTION_CHOICES,
    NUMBER_DIGITS,
    NUMBER_PLACES,
    CreditStatus,
    MeasurementSource,
    ServiceLevel,
    SlaWindow,
)
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, amount_field, version_field
from steward.parties.api.serializers import RecordOutputSerializer

CURRENCY_HELP = "ISO 4217 code, e.g. EUR; defaults to the contract's."


def _number(help_text: str = "", **options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=NUMBER_DIGITS, decimal_places=NUMBER_PLACES, help_text=help_text, **options
    )


def _percent(help_text: str = "", **options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=NUMBER_DIGITS,
        decimal_places=NUMBER_PLACES,
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text=help_text,
        **options,
    )


def _contracts(user: Any) -> Any:
    return Contract.objects.restrict(user, Action.VIEW)


def _levels(user: Any) -> Any:
    return ServiceLevel.objects.restrict(user, Action.VIEW).active().select_related("contract")


# --- service levels --------------------------------------------------------------------------


class CreditTierSerializer(serializers.Serializer):
    shortfall_from = _number(
        "The shortfall (in the metric's unit) from which this tier applies.", min_value=Decimal(0)
    )
    credit_percent = _percent("Percent of the period's fee credited.")


class ServiceLevelSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    name = serializers.CharField()
    metric = serializers.CharField(help_text="Short code measurements and imports name it by.")
    unit = serializers.CharField(allow_blank=True)
    target = _number()
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES)
    window = serializers.ChoiceField(choices=SlaWindow.choices)
    aggregation = serializers.ChoiceField(choices=AGGREGATION_CHOICES)
    credit_tiers = CreditTierSerializer(
        many=True, help_text="Rising tiers; the highest reached applies."
    )
    cap_percent = _percent("The credit never exceeds this percent of the fee.", allow_null=True)
    period_fee = amount_field("The fee of one period, credits are a percent of.", output=True)
    currency = serializers.CharField()
    active = serializers.BooleanField(help_text="Still measured.")


class ServiceLevelInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    metric = serializers.CharField(max_length=60)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    target = _number()
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES)
    window = serializers.ChoiceField(choices=SlaWindow.choices, required=False)
    aggregation = serializers.ChoiceField(choices=AGGREGATION_CHOICES, required=False)
    credit_tiers = CreditTierSerializer(many=True, required=False)
    cap_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text="Empty: no cap.",
    )
    period_fee = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), required=False
    )
    currency = serializers.CharField(max_length=3, required=False, help_text=CURRENCY_HELP)
    active = serializers.BooleanField(required=False)


class ServiceLevelCreateSerializer(ServiceLevelInputSerializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")


class ServiceLevelUpdateSerializer(ServiceLevelInputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    metric = serializers.CharField(max_length=60, required=False)
    target = _number(required=False)
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES, required=False)
    version = version_field()


# --- measurements ----------------------------------------------------------------------------


class SlaMeasurementSerializer(RecordOutputSerializer):
    service_level = serializers.IntegerField(source="service_level_id")
    measured_on = serializers.DateField()
    value = _number()
    source = serializers.ChoiceField(choices=MeasurementSource.choices)  # type: ignore[assignment]
    entered_by = serializers.IntegerField(source="entered_by_id")
    note = serializers.CharField(allow_blank=True)


class SlaMeasurementCreateSerializer(serializers.Serializer):
    service_level = VisibleRelatedField(
        model=ServiceLevel, choices=_levels, help_text="Service level id."
    )
    measured_on = serializers.DateField(help_text="The day measured; not in the future.")
    value = _number()
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class MeasurementImportSerializer(serializers.Serializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX; first row: metric, date, value and optionally note."
    )


class ImportedPeriodSerializer(serializers.Serializer):
    service_level = serializers.IntegerField()
    period_start = serializers.DateField()


class MeasurementImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Measurements written.")
    periods = ImportedPeriodSerializer(many=True, help_text="Periods judged again.")


# --- periods, credits, breaches --------------------------------------------------------------


class SlaPeriodResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service_level = serializers.IntegerField(source="service_level_id")
    contract = serializers.IntegerField(source="service_level.contract_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = _number("The period's aggregated value; null without data.", allow_null=True)
    attainment = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Percent of the target."
    )
    breached = serializers.BooleanField()
    shortfall = _number(allow_null=True)
    credit = amount_field(output=True)
    no_data = serializers.BooleanField()
    service_days = serializers.IntegerField()
    period_days = serializers.IntegerField()
    closed = serializers.BooleanField(help_text="Over; an open period books no breach or credit.")
    computed_at = serializers.DateTimeField()


class ServiceCreditSerializer(RecordOutputSerializer):
    period_result = serializers.IntegerField(source="period_result_id")
    service_level = serializers.IntegerField(source="period_result.service_level_id")
    contract = serializers.IntegerField(source="period_result.service_level.contract_id")
    period_start = serializers.DateField(source="period_result.period_start")
    amount = amount_field(output=True)
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=CreditStatus.choices)
    claimed_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    waived_by_recomputation = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class CreditMarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (CreditStatus.CLAIMED.value, "Claimed"),
            (CreditStatus.RECEIVED.value, "Received"),
            (CreditStatus.WAIVED.value, "Waived"),
        ],
        help_text="owed → claimed → received; waived while not yet received.",
    )
    on = serializers.DateField(required=False, help_text="Defaults to today; not in the future.")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to waive."
    )
    version = version_field()


class SlaBreachSerializer(RecordOutputSerializer):
    period_result = serializers.IntegerField(source="period_result_id")
    service_level = serializers.IntegerField(source="period_result.service_level_id")
    contract = serializers.IntegerField(source="period_result.service_level.contract_id")
    period_start = serializers.DateField(source="period_result.period_start")
    period_end = serializers.DateField(source="period_result.period_end")
    opened_at = serializers.DateTimeField()
    cleared_at = serializers.DateTimeField(
        allow_null=True, help_text="Set when a recomputation found the period met."
    )
    issue_reference = serializers.CharField(allow_blank=True)
