"""Forms parse and check input types; the risk services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.access import Action
from steward.core.forms import PickerField, StewardForm, StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.parties.models import Organization
from steward.people.selectors import internal_user_choices
from steward.risk.choices import FindingStatus
from steward.risk.models import Risk, RiskProfile, Subcontractor

TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RiskProfileForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = RiskProfile
        fields = [
            "data_handled",
            "system_access",
            "business_criticality",
            "substitutability",
            "regulatory_exposure",
        ]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RiskForm(StewardModelForm):
    owner = UserChoiceField(
        queryset=None, required=False, help_text="Defaults to the relationship's owner."
    )
    version = VersionField(required=False)

    class Meta:
        model = Risk
        fields = [
            "category",
            "title",
            "description",
            "inherent_likelihood",
            "inherent_impact",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "treatment",
            "treatment_plan",
            "owner",
            "review_on",
        ]
        widgets = {
            "description": TEXT,
            "controls": TEXT,
            "treatment_plan": TEXT,
            "review_on": DATE,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))

    def _post_clean(self) -> None:
        # The service validates the risk as a whole (residual within inherent) and says which
        # field is at fault; the model form's own instance check would run it twice.
        pass

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if data["owner"] is None:
            data.pop("owner")
        return data


class NoteForm(StewardForm):
    note = forms.CharField(widget=TEXT, max_length=5000, required=False)


class FindingTransitionForm(StewardForm):
    to_status = forms.ChoiceField(choices=FindingStatus.choices)
    note = forms.CharField(widget=TEXT, max_length=5000, required=False)


class FindingRespondForm(StewardForm):
    remediation_plan = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text="What will be done, by whom and by when.",
    )
    version = VersionField(required=False)


class SubcontractorForm(StewardModelForm):
    organization = PickerField(
        Organization.objects.none(),
        lookup_url_name="parties:organization-lookup",
        help_text="The fourth party: the organization the vendor relies on.",
    )
    parent = forms.ModelChoiceField(
        queryset=Subcontractor.objects.none(),
        required=False,
        label="Under",
        help_text="Leave empty for a direct subcontractor of the vendor.",
    )
    version = VersionField(required=False)

    class Meta:
        model = Subcontractor
        fields = ["organization", "service", "parent", "criticality", "handles_our_data", "notes"]
        widgets = {"notes": TEXT}

    def __init__(self, *args: Any, user: Any, supplier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("organization", Organization.objects.restrict(user, Action.VIEW))
        parents = Subcontractor.objects.restrict(user, Action.VIEW).filter(
            supplier=supplier, archived_at__isnull=True
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.limit_choices("parent", parents.select_related("organization"))

    def _post_clean(self) -> None:
        pass  # the service checks the link as a whole (parent, loops, duplicates)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
