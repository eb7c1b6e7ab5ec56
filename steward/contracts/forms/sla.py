"""Forms of the service-level area: definitions, measurements, imports, evaluation, credits.

They parse and check types only; the SLA services decide (and name the field they refuse).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.contracts.forms.contracts import DATE
from steward.contracts.models.sla import (
    NUMBER_DIGITS,
    NUMBER_PLACES,
    CreditStatus,
    ServiceLevel,
)
from steward.contracts.services.sla_periods import to_number
from steward.core.forms import StewardForm, StewardModelForm, VersionField

TIERS_HELP = (
    "One tier per line: the shortfall it starts from, a comma, the percent of the fee it "
    "credits, e.g. “0.5, 10”. Thresholds rise from line to line. Empty: no credits."
)


def tiers_as_text(tiers: list[dict[str, Any]] | None) -> str:
    """Stored tiers as the lines the form edits them in."""
    return "\n".join(f"{tier['shortfall_from']}, {tier['credit_percent']}" for tier in tiers or [])


def tiers_from_text(text: str) -> list[dict[str, str]]:
    """The lines of the form as tiers; every bad line is named, all at once."""
    tiers: list[dict[str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip().rstrip("%").strip() for part in line.replace(";", ",").split(",")]
        if len(parts) != 2:
            problems.append(f"Line {number}: write “shortfall, percent”, e.g. “0.5, 10”.")
            continue
        for label, part in zip(("shortfall", "percent"), parts, strict=True):
            try:
                to_number(part)
            except ValueError as error:
                problems.append(f"Line {number}: the {label} “{part}” {error}.")
        tiers.append({"shortfall_from": parts[0], "credit_percent": parts[1]})
    if problems:
        raise ValidationError(problems, code="invalid")
    return tiers


class ServiceLevelForm(StewardModelForm):
    credit_tiers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Credit tiers",
        help_text=TIERS_HELP,
    )
    version = VersionField(required=False)

    class Meta:
        model = ServiceLevel
        fields = [
            "name",
            "metric",
            "unit",
            "target",
            "direction",
            "window",
            "aggregation",
            "credit_tiers",
            "cap_percent",
            "period_fee",
            "currency",
            "active",
        ]
        labels = {"cap_percent": "Cap (percent of the fee)", "period_fee": "Fee per period"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["credit_tiers"] = tiers_as_text(self.instance.credit_tiers)
            self.initial["version"] = self.instance.version
        else:
            del self.fields["active"]
            del self.fields["version"]

    def clean_credit_tiers(self) -> list[dict[str, str]]:
        return tiers_from_text(self.cleaned_data.get("credit_tiers") or "")

    def changes(self) -> dict[str, Any]:
        """The fields as the services take them; an edit carries only what changed."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not self.instance.pk:
            return data
        return {
            name: value
            for name, value in data.items()
            if name == "credit_tiers" or getattr(self.instance, name) != value
        }


class MeasurementForm(StewardForm):
    service_level = forms.ModelChoiceField(queryset=ServiceLevel.objects.none())
    measured_on = forms.DateField(label="Measured on", widget=DATE)
    value = forms.DecimalField(max_digits=NUMBER_DIGITS, decimal_places=NUMBER_PLACES)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("service_level", levels)


class MeasurementImportForm(StewardForm):
    file = forms.FileField(help_text="A .csv or .xlsx file whose first row names the columns.")


class PeriodEvaluateForm(StewardForm):
    day = forms.DateField(
        label="A day of the period",
        widget=DATE,
        help_text="The period that contains this day is judged again from its measurements.",
    )

    def __init__(self, *args: Any, prefix_pk: int | None = None, **kwargs: Any) -> None:
        if prefix_pk is not None:
            kwargs.setdefault("prefix", f"evaluate-{prefix_pk}")
        super().__init__(*args, **kwargs)


class CreditMarkForm(StewardForm):
    status = forms.ChoiceField(
        choices=[
            (CreditStatus.CLAIMED.value, "Claimed"),
            (CreditStatus.RECEIVED.value, "Received"),
            (CreditStatus.WAIVED.value, "Waived"),
        ]
    )
    on = forms.DateField(required=False, widget=DATE, label="On", initial=timezone.localdate)
    note = forms.CharField(required=False, max_length=500)
    version = VersionField(required=False)
