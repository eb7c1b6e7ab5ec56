"""Forms of the pipeline pages: they parse what an account manager typed; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from steward.accounts.models import BuyingUnit
from steward.catalog.models import Product
from steward.core.access import Action
from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.parties.models import Contact, Relationship, Site
from steward.people.selectors import internal_user_choices
from steward.pipeline.choices import (
    OPEN_STAGES,
    BuyingRole,
    CreditRole,
    ForecastCategory,
    PenetrationType,
    Stage,
)
from steward.pipeline.models import Opportunity
from steward.pipeline.selectors import account_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
OPEN_STAGE_CHOICES = [(stage.value, stage.label) for stage in OPEN_STAGES]
EDIT_FIELDS = (
    "name",
    "owner",
    "close_date",
    "penetration_type",
    "forecast_category",
    "currency",
    "site",
    "buying_unit",
    "next_step",
    "description",
)


class OpportunityForm(StewardForm):
    relationship = forms.ModelChoiceField(queryset=Relationship.objects.none(), label="Account")
    name = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, help_text="Empty: you."
    )
    stage = forms.ChoiceField(choices=OPEN_STAGE_CHOICES, initial=Stage.PROSPECTING)
    close_date = forms.DateField(widget=DATE, label="Expected close")
    penetration_type = forms.ChoiceField(choices=PenetrationType.choices, label="Penetration")
    forecast_category = forms.ChoiceField(
        choices=[("", "From the stage")]
        + [(c.value, c.label) for c in ForecastCategory if c != ForecastCategory.CLOSED],
        required=False,
        label="Forecast category",
    )
    currency = forms.CharField(max_length=3, initial="EUR", help_text="ISO code, e.g. EUR.")
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label="Location")
    buying_unit = forms.ModelChoiceField(queryset=BuyingUnit.objects.none(), required=False)
    next_step = forms.CharField(max_length=255, required=False)
    description = forms.CharField(widget=TEXT, required=False)
    version = VersionField(required=False)

    def __init__(
        self, *args: Any, user: Any, opportunity: Opportunity | None = None, **kwargs: Any
    ) -> None:
        if opportunity is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(opportunity, name) for name in EDIT_FIELDS},
                    "version": opportunity.version,
                },
            )
        super().__init__(*args, **kwargs)
        people = internal_user_choices(user=user)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = label_of_user  # type: ignore[attr-defined]
        self.fields["site"].queryset = Site.objects.restrict(user, Action.VIEW).filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        )
        self.fields["buying_unit"].queryset = BuyingUnit.objects.restrict(  # type: ignore[attr-defined]
            user, Action.VIEW
        ).filter(archived_at__isnull=True)
        if opportunity is None:
            self.fields["relationship"].queryset = account_choices(user=user)  # type: ignore[attr-defined]
        else:
            for name in ("relationship", "stage"):
                del self.fields[name]
            if opportunity.is_closed:
                for name in set(EDIT_FIELDS) - {"name", "next_step", "description"}:
                    del self.fields[name]

    def create_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if not data.get("forecast_category"):
            data.pop("forecast_category", None)
        return data

    def changes(self, opportunity: Opportunity) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in self.fields
            if name != "version" and data.get(name) != getattr(opportunity, name)
        }
        if not changes.get("forecast_category", "x"):
            changes.pop("forecast_category")
        if "owner" in changes and changes["owner"] is None:
            changes.pop("owner")
        return changes


class MoveForm(StewardForm):
    prefix = "move"
    stage = forms.ChoiceField(choices=OPEN_STAGE_CHOICES)
    version = VersionField(required=False)


class WinForm(StewardForm):
    prefix = "win"
    closed_on = forms.DateField(widget=DATE, required=False, label="Won on", help_text="Today.")
    version = VersionField(required=False)


class LoseForm(StewardForm):
    prefix = "lose"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it was lost")
    closed_on = forms.DateField(widget=DATE, required=False, label="Lost on")
    version = VersionField(required=False)


class ReopenForm(StewardForm):
    prefix = "reopen"
    stage = forms.ChoiceField(choices=OPEN_STAGE_CHOICES)
    close_date = forms.DateField(widget=DATE, label="New expected close")
    version = VersionField(required=False)


class LineEditForm(StewardForm):
    """A line's quantity, price and discount; the product stays (remove the line instead)."""

    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    unit_price = forms.DecimalField(min_value=Decimal(0), max_digits=16, decimal_places=4)
    discount_percent = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        label="Discount %",
    )
    version = VersionField(required=False)


class LineForm(StewardForm):
    prefix = "line"
    product = forms.ModelChoiceField(queryset=Product.objects.none())
    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    unit_price = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=4,
        help_text="Empty: the list price in the opportunity's currency.",
    )
    discount_percent = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        label="Discount %",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = (  # type: ignore[attr-defined]
            Product.objects.filter(archived_at__isnull=True)
            .select_related("family")
            .order_by("family__position", "name")
        )


class ContactForm(StewardForm):
    prefix = "contact"
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label="Person")
    buying_role = forms.ChoiceField(choices=BuyingRole.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, organization_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            organization_id__in=sorted(organization_ids or set()), archived_at__isnull=True
        ).select_related("organization")


CREDIT_ROWS = 4


class CreditsForm(StewardForm):
    """Up to four people and their shares; empty rows are left out."""

    prefix = "credits"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = internal_user_choices(user=user)
        for index in range(CREDIT_ROWS):
            self.fields[f"user_{index}"] = forms.ModelChoiceField(
                queryset=people, required=False, label=f"Person {index + 1}"
            )
            self.fields[f"user_{index}"].label_from_instance = label_of_user  # type: ignore[attr-defined]
            self.fields[f"role_{index}"] = forms.ChoiceField(
                choices=CreditRole.choices, required=False, label="Role"
            )
            self.fields[f"percent_{index}"] = forms.DecimalField(
                required=False, max_digits=5, decimal_places=2, label="Share %"
            )
        self.style_fields()

    def splits(self) -> list[tuple[Any, str, Any]]:
        data = self.cleaned_data
        return [
            (
                data[f"user_{i}"],
                data[f"role_{i}"] or CreditRole.SPECIALIST,
                data[f"percent_{i}"] or 0,
            )
            for i in range(CREDIT_ROWS)
            if data.get(f"user_{i}") is not None
        ]


class ProposalForm(StewardForm):
    prefix = "proposal"
    title = forms.CharField(max_length=200, help_text="The same title adds the next version.")
    file = forms.FileField(label="Document")
    note = forms.CharField(max_length=255, required=False, label="What changed")


class ForecastForm(forms.Form):
    """The forecast page's choices (read through GET)."""

    who = forms.ChoiceField(
        choices=[("mine", "Mine"), ("team", "My team"), ("all", "Everything I see")],
        required=False,
    )
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    period = forms.ChoiceField(
        choices=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], required=False
    )
    on = forms.DateField(widget=DATE, required=False, label="Around")
    start = forms.DateField(widget=DATE, required=False, label="Or from")
    end = forms.DateField(widget=DATE, required=False, label="to")
    currency = forms.CharField(max_length=3, required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = label_of_user  # type: ignore[attr-defined]
