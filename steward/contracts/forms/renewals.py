"""Forms of the renewals area: the radar's filters, a renewal decision, the reminder policy.

They parse and check types; ``renewal_decide`` and ``reminder_policy_update`` decide.
"""

from __future__ import annotations

from typing import Any

from django import forms

from steward.contracts.filtersets import SIDES
from steward.contracts.forms.contracts import DATE
from steward.contracts.models.renewals import RenewalChoice
from steward.contracts.selectors_renewals import RADAR_SCOPES, RADAR_WINDOWS, SCOPE_MINE
from steward.core.forms import StewardForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.people.selectors import internal_user_choices


class RadarFilterForm(StewardForm):
    """The radar's controls; a blank or missing value means the default."""

    days = forms.TypedChoiceField(
        choices=[(d, f"{d} days") for d in RADAR_WINDOWS], coerce=int, required=False
    )
    scope = forms.ChoiceField(choices=RADAR_SCOPES, required=False)
    owner = UserChoiceField(queryset=None, required=False)
    side = forms.ChoiceField(choices=[("", "Both"), *SIDES], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))

    def clean_days(self) -> int:
        return int(self.cleaned_data.get("days") or RADAR_WINDOWS[0])

    def clean_scope(self) -> str:
        return str(self.cleaned_data.get("scope") or SCOPE_MINE)


class RenewalDecisionForm(StewardForm):
    decision = forms.ChoiceField(choices=RenewalChoice.choices)
    # Not required here: the service refuses a blank rationale and names the field.
    rationale = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: service, price, fit, alternatives.",
    )
    for_term_ending = forms.DateField(
        required=False,
        widget=DATE,
        label="For the term ending",
        help_text="Defaults to the end of the current term.",
    )


class ReminderPolicyForm(StewardForm):
    offsets = forms.CharField(
        max_length=200,
        label="Remind owners this many days before the notice deadline",
        help_text="Whole numbers separated by commas, e.g. 90, 60, 30, 7.",
    )
    version = VersionField()

    def clean_offsets(self) -> list[Any]:
        """Numbers where they are numbers; anything else is passed on for the service to
        refuse with its message on this field."""
        parts = [part.strip() for part in str(self.cleaned_data["offsets"]).split(",")]
        return [int(part) if part.lstrip("-").isdigit() else part for part in parts if part]
