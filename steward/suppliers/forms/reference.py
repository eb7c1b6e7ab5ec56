"""Forms of the supply side's reference data: the segmentation policy, playbooks, categories."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import VersionField
from steward.suppliers import segmentation
from steward.suppliers.choices import RelationshipType
from steward.suppliers.forms.common import SupplyModelForm
from steward.suppliers.models import Category, SegmentationPolicy, SegmentPlaybook
from steward.suppliers.selectors import category_choices

PROFIT_WEIGHTS = tuple(f"weight_{f}" for f in segmentation.PROFIT_FACTORS)
RISK_WEIGHTS = tuple(f"weight_{f}" for f in segmentation.RISK_FACTORS)


class PolicyForm(SupplyModelForm):
    version = VersionField()
    reason = forms.CharField(
        max_length=200, required=False, help_text="Kept in the policy's history."
    )

    groups = (
        ("Profit impact weights (must add up to 100)", PROFIT_WEIGHTS),
        ("Supply risk weights (must add up to 100)", RISK_WEIGHTS),
        (
            "Thresholds and scale",
            ("profit_threshold", "risk_threshold", "spend_full_scale", "base_currency"),
        ),
        ("", ("version", "reason")),
    )

    class Meta:
        model = SegmentationPolicy
        fields = [
            *PROFIT_WEIGHTS,
            *RISK_WEIGHTS,
            "profit_threshold",
            "risk_threshold",
            "spend_full_scale",
            "base_currency",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in (*PROFIT_WEIGHTS, *RISK_WEIGHTS):
            label = str(self.fields[name].label or name)
            self.fields[name].label = label.removeprefix("Weight ").capitalize()

    def sums(self) -> dict[str, int | None]:
        """Each axis's weight total as entered (or as stored before any input)."""

        def total(names: tuple[str, ...]) -> int | None:
            values = []
            for name in names:
                raw = self[name].value()
                try:
                    values.append(int(raw))
                except (TypeError, ValueError):
                    return None
            return sum(values)

        return {"profit": total(PROFIT_WEIGHTS), "risk": total(RISK_WEIGHTS)}

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlaybookForm(SupplyModelForm):
    compatible_types = forms.MultipleChoiceField(
        choices=RelationshipType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Relationship types that suit this quadrant; others are flagged.",
    )
    version = VersionField()

    class Meta:
        model = SegmentPlaybook
        fields = [
            "default_relationship_type",
            "compatible_types",
            "review_every_days",
            "assessment_depth",
            "objectives",
            "expectations",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["compatible_types"].initial = list(self.instance.compatible_types or [])

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["compatible_types"].widget.attrs["class"] = "form-check-input"


class CategoryForm(SupplyModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = category_choices()
        if self.instance.pk:
            del self.fields["code"]  # the code is how other systems refer to it
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        self.limit_choices("parent", parents)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "parent", "description")}
