"""Forms of the sourcing pages: they parse what a buyer typed; the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from steward.core.access import Access
from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.people.selectors import internal_user_choices
from steward.sourcing.choices import AwardRule, EvaluationMethod, EventKind, LineKind
from steward.sourcing.models import EventLine, SourcingEvent
from steward.sourcing.selectors import category_choices
from steward.suppliers.models import Category

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def _unit_price(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        help_text=help_text,
    )


def _share(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(1),
        max_digits=5,
        decimal_places=4,
        help_text=help_text,
    )


class EventForm(StewardForm):
    """A new event, or the changes to one (an open event only takes some: the service says)."""

    kind = forms.ChoiceField(choices=EventKind.choices, label="Kind")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT, required=False)
    category = forms.ModelChoiceField(queryset=Category.objects.none())
    currency = forms.CharField(
        max_length=3, initial="EUR", help_text="Bids are compared in this currency (ISO code)."
    )
    opens_at = forms.DateTimeField(
        widget=MOMENT, required=False, label="Opens", help_text="Empty: as soon as published."
    )
    closes_at = forms.DateTimeField(
        widget=MOMENT, required=False, label="Closes", help_text="By the server's clock."
    )
    evaluation_method = forms.ChoiceField(choices=EvaluationMethod.choices)
    award_rule = forms.ChoiceField(choices=AwardRule.choices)
    open_to_category = forms.BooleanField(
        required=False, label="Publish to every vendor prequalified for the category"
    )
    reverse_auction = forms.BooleanField(
        required=False, label="Reverse auction: each bidder sees its rank while open"
    )
    confirm_days = forms.IntegerField(
        min_value=1, max_value=90, initial=5, label="Days a winner has to confirm"
    )
    scorecard_weight = _share(
        "Scorecard weight", "Share of the price added per missing scorecard point (0 ignores it)."
    )
    quality_cost_rate = _share(
        "Expected quality cost", "As a share of the price (rework, returns, inspection)."
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, event: SourcingEvent | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(event, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()  # type: ignore[attr-defined]
        self.fields["scorecard_weight"].initial = Decimal("0.1")
        self.fields["quality_cost_rate"].initial = Decimal(0)
        if event is not None:
            # The kind fixes the reference; it is chosen once.
            del self.fields["kind"]

    def changes(self, event: SourcingEvent) -> dict[str, Any]:
        """The fields that differ from ``event`` (the service refuses what may not change)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in self.fields
            if name not in ("version", "kind") and not _same(data.get(name), getattr(event, name))
        }


def _same(typed: Any, stored: Any) -> bool:
    """A time typed in a form has whole minutes; the stored one may have seconds."""
    if isinstance(typed, dt.datetime) and isinstance(stored, dt.datetime):
        return typed.replace(second=0, microsecond=0) == stored.replace(second=0, microsecond=0)
    return bool(typed == stored)


class LineForm(StewardForm):
    prefix = "line"  # several forms share the event page: ids stay unique
    kind = forms.ChoiceField(choices=LineKind.choices)
    description = forms.CharField(max_length=200, label="Part or service")
    specification = forms.CharField(widget=TEXT, required=False)
    quantity = forms.DecimalField(min_value=Decimal("0.001"), max_digits=14, decimal_places=3)
    unit = forms.CharField(max_length=20, initial="each")
    target_delivery_date = forms.DateField(widget=DATE, required=False, label="Delivery by")
    target_unit_price = _unit_price("Target unit price", "In the event's currency.")
    last_unit_price = _unit_price("Last price paid", "Per unit, in the event's currency.")
    version = VersionField(required=False)

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class AttachmentForm(StewardForm):
    prefix = "document"  # several forms share the event page: ids stay unique
    file = forms.FileField(label="Document")
    line = forms.ModelChoiceField(
        queryset=EventLine.objects.none(), required=False, empty_label="The whole event"
    )

    def __init__(self, *args: Any, lines: QuerySet[EventLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]


class BidderQuestionForm(StewardForm):
    prefix = "question"  # several forms share the event page: ids stay unique
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Question")
    required = forms.BooleanField(required=False, initial=True, label="Every bid must answer")
    version = VersionField(required=False)


class CriterionForm(StewardForm):
    prefix = "criterion"  # several forms share the event page: ids stay unique
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    max_value = forms.DecimalField(
        label="Maximum",
        max_digits=5,
        decimal_places=4,
        help_text="A fraction of the price, above 0 and at most 0.3; the maxima sum to 0.3 at "
        "most.",
    )
    version = VersionField(required=False)


class MemberForm(StewardForm):
    prefix = "member"  # several forms share the event page: ids stay unique
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Colleague")
    access = forms.ChoiceField(choices=Access.choices, initial=Access.REVIEW)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField", self.fields["user"])
        field.queryset = internal_user_choices(user=user)
        field.label_from_instance = label_of_user  # type: ignore[method-assign,assignment]


class InviteForm(StewardForm):
    supplier = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why invite it all the same",
    )


class ClarificationAnswerForm(StewardForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    publish = forms.BooleanField(required=False, initial=True, label="Publish to every invitee now")


class ClarificationPostForm(StewardForm):
    prefix = "clarification"  # several forms share the event page: ids stay unique
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Topic")
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Clarification")


class CancelForm(StewardForm):
    prefix = "cancel"  # several forms share the event page: ids stay unique
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why cancel")
