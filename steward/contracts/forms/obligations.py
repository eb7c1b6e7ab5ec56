"""Forms of the obligations and stakeholders tabs: they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.contracts.forms.contracts import DATE
from steward.contracts.models import ContractStakeholder, Obligation
from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.people.selectors import internal_user_choices

EVIDENCE_HELP = "PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or text."


class ObligationForm(StewardModelForm):
    """Add or edit an obligation; the owner defaults to the contract's."""

    owner = UserChoiceField(
        queryset=None, required=False, help_text="Defaults to the contract's owner."
    )
    version = VersionField(required=False)

    class Meta:
        model = Obligation
        fields = ["title", "kind", "owed_by", "owner", "due_on", "recurrence", "notes"]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"owed_by": "Who owes it", "owner": "Responsible"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.fields["recurrence"].required = False
        self.fields["recurrence"].help_text = "Once, unless you choose a repeat."
        if self.instance.pk:
            self.fields["owner"].required = True
            self.fields["owner"].help_text = ""
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The fields as the services take them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for optional in ("owner", "recurrence"):
            if not data.get(optional):
                data.pop(optional, None)
        return data


class ObligationCompleteForm(StewardForm):
    done_on = forms.DateField(required=False, widget=DATE, help_text="Defaults to today.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Not "file": the evidence form sits on the same page, and ids must stay unique.
    evidence = forms.FileField(required=False, help_text=EVIDENCE_HELP)


class ObligationWaiveForm(StewardForm):
    # The service refuses a blank reason, so the message is the same on the page and the API.
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: why this occurrence is let go.",
    )


class EvidenceForm(StewardForm):
    # Not "title": the obligation's edit form sits on the same page.
    evidence_title = forms.CharField(
        max_length=200, required=False, label="Title", help_text="Defaults to the file name."
    )
    file = forms.FileField(help_text=EVIDENCE_HELP)


class StakeholderForm(StewardModelForm):
    user = UserChoiceField(queryset=None, label="Person")

    class Meta:
        model = ContractStakeholder
        fields = ["user", "role", "access"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("user", internal_user_choices(user=user))
