"""Forms parse and check input types; the plan's services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.accountplans.models import (
    AccountPlan,
    PlanInitiative,
    PlanObjective,
    PlanStakeholder,
    PlanStandard,
)
from steward.accountplans.sections import plan_sections
from steward.accountplans.services.common import group_organization_ids
from steward.core.access import Action
from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.parties.models import Contact
from steward.people.selectors import internal_user_choices
from steward.plans.models import Initiative
from steward.reviews.choices import ActionSide

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def account_contacts(user: Any, plan: AccountPlan) -> Any:
    """The customer's people a plan may name: its organization's and its group's."""
    return (
        Contact.objects.restrict(user, Action.VIEW)
        .filter(
            organization_id__in=group_organization_ids(plan.relationship.organization),
            archived_at__isnull=True,
        )
        .select_related("organization", "site")
    )


class VersionedForm(StewardModelForm):
    version = VersionField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlanForm(VersionedForm):
    shared_live_sections = forms.MultipleChoiceField(
        label="Live sections shared with the customer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Computed sections shown in the customer-visible plan and its PDF; "
        "the rest stay internal.",
    )

    class Meta:
        model = AccountPlan
        fields = [
            "title",
            "starts_on",
            "ends_on",
            "next_review_on",
            "goals",
            "goals_visibility",
            "needs",
            "needs_visibility",
            "map_visibility",
            "objectives_visibility",
            "initiatives_visibility",
            "actions_visibility",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "next_review_on": DATE,
            "goals": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "starts_on": "Starts",
            "ends_on": "Ends",
            "next_review_on": "Next review",
            "goals": "Customer's goals",
            "needs": "Customer's needs",
            "goals_visibility": "Goals are",
            "needs_visibility": "Needs are",
            "map_visibility": "Relationship map is",
            "objectives_visibility": "Objectives are",
            "initiatives_visibility": "Initiatives are",
            "actions_visibility": "Action plan is",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = self.fields["shared_live_sections"]
        shared.choices = [(s.key, s.label) for s in plan_sections()]  # type: ignore[attr-defined]
        if self.instance.pk:
            shared.initial = list(self.instance.shared_live_sections)
        if not self.instance.pk:
            self.fields["title"].required = False
            self.fields["title"].help_text = "Defaults to the account and the period."

    def changes(self) -> dict[str, Any]:
        data = super().changes()
        if not self.instance.pk and not data.get("title"):
            data.pop("title", None)
        return data


class StakeholderForm(VersionedForm):
    covered_by = UserChoiceField(queryset=None, required=False, label="Covered by")

    class Meta:
        model = PlanStakeholder
        fields = [
            "contact",
            "decision_role",
            "influence",
            "sentiment",
            "covered_by",
            "last_met_on",
            "notes",
            "visibility",
        ]
        widgets = {"last_met_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"contact": "Person", "last_met_on": "Last met"}

    def __init__(self, *args: Any, user: Any, plan: AccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("contact", account_contacts(user, plan))
        self.limit_choices("covered_by", internal_user_choices(user=user))
        if self.instance.pk:
            del self.fields["contact"]


class ObjectiveForm(VersionedForm):
    owner = UserChoiceField(queryset=None, required=False, label="Owner (ours)")

    class Meta:
        model = PlanObjective
        fields = [
            "title",
            "owner",
            "stakeholder",
            "measure",
            "target",
            "due_on",
            "status",
            "visibility",
        ]
        widgets = {"due_on": DATE}
        labels = {"stakeholder": "Customer stakeholder", "due_on": "Due", "title": "Objective"}

    def __init__(self, *args: Any, user: Any, plan: AccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.limit_choices("stakeholder", account_contacts(user, plan))


class InitiativeLinkForm(VersionedForm):
    class Meta:
        model = PlanInitiative
        fields = [
            "initiative",
            "priority",
            "investment_amount",
            "investment_currency",
            "investment_note",
            "visibility",
        ]
        labels = {
            "investment_amount": "Investment",
            "investment_currency": "Currency",
            "investment_note": "What we invest",
        }

    def __init__(self, *args: Any, user: Any, plan: AccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investment_currency"].required = False
        if self.instance.pk:
            del self.fields["initiative"]
        else:
            self.limit_choices(
                "initiative",
                Initiative.objects.restrict(user, Action.VIEW).filter(
                    relationship_id=plan.relationship_id, archived_at__isnull=True
                ),
            )

    def changes(self) -> dict[str, Any]:
        data = super().changes()
        if not data.get("investment_currency"):
            data.pop("investment_currency", None)
        return data


class ActionForm(StewardForm):
    title = forms.CharField(max_length=200, label="Action")
    due_on = forms.DateField(widget=DATE, label="Due")
    side = forms.ChoiceField(choices=ActionSide.choices, initial=ActionSide.OURS)
    owner = UserChoiceField(queryset=None, required=False, label="Owner (ours)")
    owner_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, label="Owner (theirs)"
    )
    visibility = forms.ChoiceField(
        choices=PlanInitiative._meta.get_field("visibility").choices,  # type: ignore[arg-type]
        initial="customer",
    )

    def __init__(self, *args: Any, user: Any, plan: AccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.limit_choices("owner_contact", account_contacts(user, plan))

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data["side"] == ActionSide.OURS:
            data.pop("owner_contact", None)
        else:
            data.pop("owner", None)
        return data


class ReviewForm(StewardForm):
    held_on = forms.DateField(widget=DATE, label="Held on")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_review_on = forms.DateField(widget=DATE, required=False, label="Next review")


class StandardForm(VersionedForm):
    class Meta:
        model = PlanStandard
        fields = [
            "executive_sponsor_rule",
            "locations_rule",
            "objectives_complete_rule",
            "min_objectives_rule",
            "min_objectives",
            "reviewed_recently_rule",
            "review_days",
            "next_review_rule",
            "actions_both_sides_rule",
        ]
