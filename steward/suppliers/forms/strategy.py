"""Forms of a vendor's strategy: the strategy itself (with its ladder and RACI as rows),
KPIs and negotiation levers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.forms import BoundField

from steward.core.forms import StewardModelForm, VersionField
from steward.people.selectors import internal_user_choices
from steward.suppliers.choices import KpiDirection, LeverKind, Raci
from steward.suppliers.forms.common import SupplyModelForm
from steward.suppliers.models import NegotiationLever, StrategyKpi, SupplierStrategy

RACI_FUNCTIONS = (
    ("procurement", "Procurement"),
    ("legal", "Legal"),
    ("finance", "Finance"),
    ("it", "IT"),
    ("operations", "Operations"),
)


class EscalationStepForm(forms.Form):
    role = forms.CharField(max_length=120, required=False)
    after_days = forms.IntegerField(min_value=0, max_value=3650, required=False, label="After days")
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def step(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("role", "").strip():
            return None
        step: dict[str, Any] = {"role": data["role"].strip(), "after_days": data["after_days"] or 0}
        if data.get("person"):
            step["person"] = data["person"]
        return step


class RaciRowForm(forms.Form):
    activity = forms.CharField(max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RACI_FUNCTIONS:
            self.fields[code] = forms.ChoiceField(
                choices=[("", "—"), *((v, v) for v in Raci.values)], required=False, label=label
            )

    def functions(self) -> list[BoundField]:
        return [self[code] for code, _ in RACI_FUNCTIONS]

    def row(self) -> tuple[str, dict[str, str]] | None:
        activity = self.cleaned_data.get("activity", "").strip()
        if not activity:
            return None
        parts = {code: self.cleaned_data[code] for code, _ in RACI_FUNCTIONS}
        return activity, {code: part for code, part in parts.items() if part}


EscalationFormSet = forms.formset_factory(EscalationStepForm, extra=2)
RaciFormSet = forms.formset_factory(RaciRowForm, extra=2)


class StrategyForm(StewardModelForm):
    resource_people = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="People",
        help_text="Who works on this vendor.",
    )
    # Placeholders for the service's refusals, shown beside the two tables.
    escalation_ladder = forms.CharField(required=False, widget=forms.HiddenInput)
    raci = forms.CharField(required=False, widget=forms.HiddenInput)
    version = VersionField(required=False)

    class Meta:
        model = SupplierStrategy
        fields = [
            "objectives",
            "expectations",
            "review_every_days",
            "information_sharing",
            "resource_people",
            "resource_hours_per_month",
            "resource_budget",
            "resource_currency",
        ]
        labels = {
            "review_every_days": "Review every (days)",
            "resource_hours_per_month": "Hours per month",
            "resource_budget": "Budget",
            "resource_currency": "Currency",
        }
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strategy: SupplierStrategy = self.instance
        self.limit_choices("resource_people", internal_user_choices(user=user))
        self.fields["version"].initial = strategy.version
        self.fields["resource_people"].initial = list(
            strategy.resource_people.values_list("pk", flat=True)
        )
        data = args[0] if args else kwargs.get("data")
        ladder = strategy.escalation_ladder if isinstance(strategy.escalation_ladder, list) else []
        raci = strategy.raci if isinstance(strategy.raci, dict) else {}
        self.ladder = EscalationFormSet(
            data, prefix="ladder", initial=[s for s in ladder if isinstance(s, dict)]
        )
        self.raci_rows = RaciFormSet(
            data,
            prefix="raci",
            initial=[
                {"activity": activity, **parts}
                for activity, parts in raci.items()
                if isinstance(parts, dict)
            ],
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.ladder.is_valid() and self.raci_rows.is_valid() and valid

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data[name] for name in self.Meta.fields if name != "resource_people"}
        changes["escalation_ladder"] = [
            step for form in self.ladder for step in [form.step()] if step is not None
        ]
        changes["raci"] = dict(
            row for form in self.raci_rows for row in [form.row()] if row is not None
        )
        return changes

    def main_fields(self) -> list[BoundField]:
        return [self[name] for name in ("objectives", "expectations")]

    def governance_fields(self) -> list[BoundField]:
        return [self[name] for name in ("review_every_days", "information_sharing")]

    def resource_fields(self) -> list[BoundField]:
        return [
            self[name]
            for name in (
                "resource_people",
                "resource_hours_per_month",
                "resource_budget",
                "resource_currency",
            )
        ]


class KpiForm(SupplyModelForm):
    class Meta:
        model = StrategyKpi
        fields = ["name", "unit", "target", "direction"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].initial = KpiDirection.HIGHER_IS_BETTER


class LeverForm(SupplyModelForm):
    class Meta:
        model = NegotiationLever
        fields = ["kind", "description", "expected_saving", "currency"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = LeverKind.VOLUME_COMMITMENT


class KpiEditForm(KpiForm):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LeverEditForm(LeverForm):
    version = VersionField()

    class Meta(LeverForm.Meta):
        fields = [*LeverForm.Meta.fields, "in_play"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["in_play"].help_text = "Untick once the lever is used up or dropped."

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
