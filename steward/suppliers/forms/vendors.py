"""Forms of a vendor: creating and editing it, moving it on, its checklist and placement."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import PickerField, VersionField
from steward.parties.choices import Tier
from steward.parties.forms import UserChoiceField
from steward.parties.models import Organization
from steward.parties.selectors import organization_choices
from steward.people.selectors import internal_user_choices
from steward.suppliers.choices import Segment, Stage
from steward.suppliers.forms.common import SEGMENTATION_INPUTS, SupplyForm, SupplyModelForm
from steward.suppliers.models import Category, Supplier
from steward.suppliers.selectors import category_choices


class VendorForm(SupplyModelForm):
    """A vendor's type, categories and segmentation inputs; creating adds who and with whom."""

    organization = PickerField(
        Organization.objects.none(), lookup_url_name="parties:organization-lookup"
    )
    owner = UserChoiceField(queryset=None, required=False, help_text="Defaults to you.")
    tier = forms.TypedChoiceField(
        choices=Tier.choices, coerce=int, required=False, empty_value=None, initial=Tier.MANAGED
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    categories = forms.ModelMultipleChoiceField(
        Category.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = VersionField(required=False)

    groups = (("Segmentation inputs", tuple(SEGMENTATION_INPUTS)),)

    class Meta:
        model = Supplier
        fields = ["relationship_type", "categories", *SEGMENTATION_INPUTS]

    def __init__(self, *args: Any, user: Any, for_relationship: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_choices("categories", category_choices())
        if self.instance.pk or for_relationship:
            # The relationship exists: who, with whom and its tier are edited there.
            for name in ("organization", "owner", "tier", "summary"):
                del self.fields[name]
        else:
            self.limit_choices("organization", organization_choices(user=user))
            self.limit_choices("owner", internal_user_choices(user=user))
            self.order_fields(["organization", "owner", "relationship_type", "tier"])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def inputs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SEGMENTATION_INPUTS}

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["categories"].widget.attrs["class"] = "form-check-input"


class TransitionForm(SupplyForm):
    # Every stage is offered: the lifecycle table, in the service, says which moves are allowed.
    to_stage = forms.ChoiceField(choices=Stage.choices, label="Move to")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, help_text="Why it moves on."
    )
    version = VersionField(required=False)


class ChecklistForm(SupplyForm):
    done = forms.BooleanField(required=False)
    note = forms.CharField(max_length=300, required=False)


class SegmentOverrideForm(SupplyForm):
    segment = forms.ChoiceField(
        choices=[("", "No override: place by the data"), *Segment.choices],
        required=False,
        label="Place in",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason",
        help_text="Required when placing by judgement; it is kept with the vendor.",
    )
    version = VersionField()


class PrequalificationForm(SupplyForm):
    category = forms.ModelChoiceField(Category.objects.none())
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for the standard period.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("category", category_choices())


class RevokeForm(SupplyForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
