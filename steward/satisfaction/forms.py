"""Forms parse and check input types; the satisfaction services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.parties.models import Contact, Relationship, Site
from steward.satisfaction.choices import SurveyKind
from steward.satisfaction.models import SatisfactionResponse, SatisfactionStandard
from steward.satisfaction.services.responses import group_organization_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _customer_contacts(account: Relationship) -> Any:
    return (
        Contact.objects.filter(
            organization_id__in=group_organization_ids(account), archived_at__isnull=True
        )
        .select_related("organization")
        .order_by("last_name", "first_name")
    )


class ResponseForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = SatisfactionResponse
        fields = ["kind", "score", "answered_on", "contact", "site", "comment"]
        widgets = {"answered_on": DATE, "comment": forms.Textarea(attrs={"rows": 4})}
        labels = {"answered_on": "Answered on", "site": "Location"}

    def __init__(self, *args: Any, account: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("contact", _customer_contacts(account))
        self.limit_choices(
            "site",
            Site.objects.filter(
                organization_id__in=group_organization_ids(account), archived_at__isnull=True
            ).order_by("name"),
        )
        self.fields["score"].help_text = "CSAT 1 (very dissatisfied) to 5; NPS 0 to 10."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["kind"].disabled = True
            self.fields["contact"].disabled = True

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.instance.pk:
            data.pop("kind", None)
            data.pop("contact", None)
        return data


class SurveySendForm(StewardForm):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label="Send to")
    kinds = forms.MultipleChoiceField(
        choices=SurveyKind.choices,
        initial=[SurveyKind.NPS, SurveyKind.CSAT],
        widget=forms.CheckboxSelectMultiple,
        label="Questions",
    )
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=90, initial=30, label="Link valid for (days)"
    )

    def __init__(self, *args: Any, account: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("contact", _customer_contacts(account).exclude(email=""))
        self.fields["contact"].help_text = "Only contacts with an e-mail address are offered."


class ResponseImportForm(StewardForm):
    file = forms.FileField(help_text="A .csv or .xlsx file, at most 5 MB.")


class SurveyAnswerForm(forms.Form):
    """The public survey: one radio group per question asked, and a comment."""

    comment = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        label="Anything you would like to tell us? (optional)",
    )

    def __init__(self, *args: Any, kinds: list[str], organization: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if SurveyKind.NPS in kinds:
            self.fields[SurveyKind.NPS] = forms.TypedChoiceField(
                coerce=int,
                choices=[(n, str(n)) for n in range(11)],
                widget=forms.RadioSelect,
                label="How likely are you to recommend us to a colleague or a friend? "
                "(0 = not at all likely, 10 = extremely likely)",
            )
        if SurveyKind.CSAT in kinds:
            self.fields[SurveyKind.CSAT] = forms.TypedChoiceField(
                coerce=int,
                choices=[
                    (1, "1 · very dissatisfied"),
                    (2, "2"),
                    (3, "3"),
                    (4, "4"),
                    (5, "5 · very satisfied"),
                ],
                widget=forms.RadioSelect,
                label=f"How satisfied are you with our service to {organization}?",
            )
        self.order_fields([SurveyKind.NPS, SurveyKind.CSAT, "comment"])


class StandardForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = SatisfactionStandard
        fields = ["nps_minimum", "csat_minimum_pct", "minimum_responses", "window_months"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class CadenceForm(StewardForm):
    """The days between face-to-face meetings of one tier, edited in the cadence table."""

    days = forms.IntegerField(
        min_value=1, max_value=730, help_text="Meet at least every this many days."
    )
    version = VersionField(required=False)
