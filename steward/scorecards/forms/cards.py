"""Forms on a card: correct a criterion, share with the portal, raise and answer appeals, and the
improvement plan with its targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from steward.core.forms import StewardForm, VersionField
from steward.scorecards.choices import AppealKind, PlanStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def score_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2
    )


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    cast("forms.ChoiceField", form.fields[name]).choices = choices


class CorrectionForm(StewardForm):
    criterion = forms.TypedChoiceField(coerce=int, label="Criterion")
    to_score = score_field("Corrected score (0-100)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    appeal = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="In answer to appeal"
    )

    def __init__(self, *args: Any, criteria: Any = (), appeals: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "criterion", [("", "Choose a criterion"), *[(c.pk, c.name) for c in criteria]]
        )
        set_choices(
            self,
            "appeal",
            [("", "None"), *[(a.pk, f"{a.get_kind_display()} by {a.raised_by}") for a in appeals]],
        )


class ShareForm(StewardForm):
    shared = forms.BooleanField(required=False, label="Shared with the counterparty's portal")


class AppealForm(StewardForm):
    kind = forms.ChoiceField(choices=AppealKind.choices, initial=AppealKind.COMMENT)
    criterion_code = forms.ChoiceField(required=False, label="About criterion")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)

    def __init__(self, *args: Any, criteria: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "criterion_code",
            [("", "The card as a whole"), *[(c.code, c.name) for c in criteria]],
        )


class AppealAnswerForm(StewardForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000)
    uphold = forms.BooleanField(
        required=False,
        label="Upheld: the score was corrected",
        help_text="Record the correction first; an upheld appeal needs one.",
    )


class PlanForm(StewardForm):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(widget=DATE)
    version = VersionField(required=False)


class PlanCloseForm(StewardForm):
    status = forms.ChoiceField(
        choices=[
            (PlanStatus.MET, PlanStatus.MET.label),
            (PlanStatus.CLOSED, PlanStatus.CLOSED.label),
        ],
        label="Close as",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Required when the plan closes without its targets met.",
    )
    version = VersionField(required=False)


class TargetForm(StewardForm):
    criterion_code = forms.ChoiceField(required=False, label="Criterion")
    label = forms.CharField(max_length=120)
    target_score = score_field("Target score (0-100)")
    due_on = forms.DateField(widget=DATE)

    def __init__(self, *args: Any, criteria: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "criterion_code",
            [("", "The overall score"), *[(c.code, c.name) for c in criteria]],
        )


class TargetMetForm(StewardForm):
    met_on = forms.DateField(widget=DATE, required=False, help_text="Defaults to today.")
