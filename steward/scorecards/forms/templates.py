"""Forms of the template admin: the template, its criteria rows, its standings rows, what-if."""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from steward.core.errors import DomainError
from steward.core.forms import StewardForm, VersionField
from steward.parties.choices import Side
from steward.scorecards.choices import CriterionCategory, PeriodKind, RuleKind
from steward.scorecards.forms.cards import set_choices
from steward.scorecards.standings import Consequence

RULE_HELP = (
    'JSON. Linear: {"floor": "80", "target": "100", "direction": "higher_is_better"}; '
    'bands: {"bands": [["90", "50"], ["95", "100"]], "direction": "higher_is_better"}; '
    'formula: {"expression": "a / b * 100", "variables": {"a": "measure_key", "b": "..."}}.'
)
# "criteria[2].rule", "standings[1].lower": the row (from 0) and field a service names.
_ROW_FIELD = re.compile(r"^(?P<set>\w+)(?:\[|\.)(?P<row>\d+)\]?\.(?P<field>\w+)$")


def measure_choices(side: str | None = None) -> list[tuple[str, str]]:
    from steward.scorecards.measures import measure_choices as registered

    return registered(side)


class TemplateForm(StewardForm):
    name = forms.CharField(max_length=120)
    side = forms.ChoiceField(choices=Side.choices)
    period_kind = forms.ChoiceField(choices=PeriodKind.choices, initial=PeriodKind.QUARTERLY)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    is_default = forms.BooleanField(
        required=False, label="Default for its side (scores every relationship of the side)"
    )


class TemplateEditForm(StewardForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    is_default = forms.BooleanField(required=False, label="Default for its side")
    version = VersionField(required=False)


class CriterionRowForm(StewardForm):
    code = forms.SlugField(max_length=40)
    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=CriterionCategory.choices)
    weight = forms.IntegerField(min_value=1, max_value=100)
    measure = forms.ChoiceField(required=False)
    rule_kind = forms.ChoiceField(choices=RuleKind.choices, initial=RuleKind.LINEAR)
    rule = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text=RULE_HELP)

    def __init__(self, *args: Any, side: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "measure",
            [
                ("", "None (formula reads its variables)"),
                *measure_choices(side),
            ],
        )

    def clean_rule(self) -> dict[str, Any]:
        text = self.cleaned_data["rule"]
        try:
            rule = json.loads(text)
        except ValueError as error:
            raise ValidationError(f"The rule is not valid JSON: {error}.", code="invalid") from None
        if not isinstance(rule, dict):
            raise ValidationError("The rule must be a JSON object.", code="invalid")
        return rule

    def criterion(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("code", "name", "category", "weight", "measure", "rule_kind", "rule")
        }


def kept(form: forms.Form) -> bool:
    """A formset row that was filled in and not ticked for removal."""
    return form.has_changed() and not form.cleaned_data.get("DELETE", False)


class BaseCriteriaFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, side: str | None = None, **kwargs: Any) -> None:
        self.side = side
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "side": self.side}

    def criteria(self) -> list[dict[str, Any]]:
        return [form.criterion() for form in self.forms if kept(form)]


CriteriaFormSet = cast(
    "type[BaseCriteriaFormSet]",
    forms.formset_factory(
        CriterionRowForm, formset=BaseCriteriaFormSet, extra=2, can_delete=True, min_num=1
    ),
)


def criterion_initial(criterion: Any) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "name": criterion.name,
        "category": criterion.category,
        "weight": criterion.weight,
        "measure": criterion.measure,
        "rule_kind": criterion.rule_kind,
        "rule": json.dumps(criterion.rule),
    }


class VersionNoteForm(StewardForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="What changed and why"
    )


class StandingsRowForm(StewardForm):
    name = forms.CharField(max_length=40)
    lower = forms.DecimalField(
        min_value=0, max_value=100, max_digits=5, decimal_places=2, label="From score"
    )
    consequences = forms.MultipleChoiceField(
        choices=[(c.value, c.value.replace("_", " ").capitalize()) for c in Consequence],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BaseStandingsFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "name": form.cleaned_data["name"],
                "lower": str(form.cleaned_data["lower"]),
                "consequences": list(form.cleaned_data.get("consequences") or []),
            }
            for form in self.forms
            if kept(form)
        ]


StandingsFormSet = cast(
    "type[BaseStandingsFormSet]",
    forms.formset_factory(
        StandingsRowForm, formset=BaseStandingsFormSet, extra=1, can_delete=True, min_num=1
    ),
)


class WhatIfForm(StewardForm):
    version = forms.TypedChoiceField(coerce=int, label="Score under version")
    periods = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label="Past periods"
    )

    def __init__(self, *args: Any, versions: Any = (), periods: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "version", [(v.pk, f"Version {v.number}") for v in versions])
        set_choices(self, "periods", [(p.pk, p.label) for p in periods])


def place_row_error(formset: Any, error: DomainError, *, prefix: str) -> bool:
    """Put a service's ``<prefix>[N].field`` error on row N's field; True when placed.

    The message always shows above the rows too, since it names the row itself.
    """
    match = _ROW_FIELD.match(error.field or "")
    if match is None or match.group("set") != prefix:
        return False
    index = int(match.group("row"))  # services count from 0 in the path ("criteria[2]")
    forms_ = [f for f in formset.forms if kept(f)]
    if not 0 <= index < len(forms_):
        return False
    form = forms_[index]
    name = match.group("field")
    form.add_error(name if name in form.fields else None, ValidationError(error.message))
    return True
