"""Forms of what cards are scored from: recorded measurements and survey answers."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardForm
from steward.scorecards.forms.cards import DATE, set_choices

RATINGS = [(n, str(n)) for n in range(1, 6)]


def recorded_measure_choices(side: str | None) -> list[tuple[str, str]]:
    from steward.scorecards.measures import RECORDED, measures

    return [(m.key, m.label) for m in measures(side) if m.kind == RECORDED]


class MeasurementForm(StewardForm):
    measure = forms.ChoiceField()
    measured_on = forms.DateField(widget=DATE, label="Measured on")
    value = forms.DecimalField(max_digits=18, decimal_places=4)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, side: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "measure", [("", "Choose a measure"), *recorded_measure_choices(side)])


class SurveyAnswerForm(StewardForm):
    rating = forms.TypedChoiceField(
        choices=RATINGS, coerce=int, widget=forms.RadioSelect, label="Rating (1 poor - 5 excellent)"
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MeasurementImportForm(StewardForm):
    file = forms.FileField(help_text="A .csv or .xlsx file whose first row names the columns.")
