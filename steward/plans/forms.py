"""Forms parse and check input types; plans' services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.people.selectors import internal_user_choices
from steward.plans.models import Initiative, Milestone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InitiativeForm(StewardModelForm):
    owner = UserChoiceField(queryset=None, required=False, help_text="Defaults to you.")
    version = VersionField(required=False)

    class Meta:
        model = Initiative
        fields = [
            "title",
            "kind",
            "status",
            "owner",
            "starts_on",
            "ends_on",
            "currency",
            "budget",
            "expected_value",
            "delivered_value",
            "description",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"starts_on": "Starts", "ends_on": "Ends"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        if self.instance.pk:
            self.fields["owner"].required = True
            self.fields["owner"].help_text = ""
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The edited fields, as the service takes them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class MilestoneForm(StewardModelForm):
    """A new milestone: what, when, who."""

    owner = UserChoiceField(queryset=None, required=False)

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "owner"]
        widgets = {"due_on": DATE}
        labels = {"due_on": "Due"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))


class MilestoneEditForm(MilestoneForm):
    version = VersionField(required=False)

    class Meta(MilestoneForm.Meta):
        fields = ["title", "due_on", "owner", "status", "completed_on"]
        widgets = {"due_on": DATE, "completed_on": DATE}
        labels = {"due_on": "Due", "completed_on": "Completed"}
        help_texts = {"completed_on": "Set when it is marked done; defaults to today."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
