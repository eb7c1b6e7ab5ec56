"""Joint account plans: one active plan per account (a demand-side relationship) for a period,
made with the customer, and the company's standard every plan is measured against.

A plan reuses what other engines keep: its initiatives are ``plans.Initiative`` rows on the same
relationship (linked with a priority and the investment they need), its actions are
``reviews.ActionItem`` rows (linked, so they are chased like every other action). Every section
and every row is marked internal or customer-visible; the customer's PDF holds only the latter.
Sections computed from other apps (pipeline, whitespace, problems, installed base) are never
stored here: see ``steward.accountplans.sections``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.accountplans.choices import (
    DecisionRole,
    ObjectiveStatus,
    PlanStatus,
    Sentiment,
    Visibility,
)
from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.parties.choices import Level

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


def visibility_field(default: str = Visibility.CUSTOMER, help_text: str = "") -> models.CharField:
    return models.CharField(
        max_length=10, choices=Visibility.choices, default=default, help_text=help_text
    )


class AccountPlan(DomainModel):
    """The joint plan of one account for a period; earlier plans are kept, closed."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="account_plans"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE, db_index=True
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    goals = models.TextField(blank=True, help_text="What the customer wants to achieve.")
    goals_visibility = visibility_field()
    needs = models.TextField(blank=True, help_text="What the customer needs from us to get there.")
    needs_visibility = visibility_field()
    map_visibility = visibility_field(
        Visibility.INTERNAL,
        "The relationship map's names and roles; sentiment and coverage are always internal.",
    )
    initiatives_visibility = visibility_field()
    objectives_visibility = visibility_field()
    actions_visibility = visibility_field()
    shared_live_sections = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the computed sections shown to the customer (none by default).",
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=models.Q(status="active", archived_at__isnull=True),
                name="account_plan_one_active",
                violation_error_message="The account has an active plan already.",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="account_plan_ends_after_start",
                violation_error_message="The plan ends before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("accountplans:plan-detail", args=[self.pk])


class PlanStakeholder(DomainModel):
    """One of the customer's people on the relationship map, and who of ours covers them."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.PROTECT, related_name="stakeholders")
    contact = models.ForeignKey("parties.Contact", on_delete=models.PROTECT, related_name="+")
    decision_role = models.CharField(max_length=20, choices=DecisionRole.choices)
    influence = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    sentiment = models.CharField(
        max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who of ours looks after this person.",
    )
    last_met_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    visibility = visibility_field()

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "decision_role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "contact"],
                condition=models.Q(archived_at__isnull=True),
                name="plan_stakeholder_once",
                violation_error_message="This person is on the map already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_decision_role_display()})"


class PlanObjective(DomainModel):
    """A measurable objective agreed with the customer."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.PROTECT, related_name="objectives")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stakeholder = models.ForeignKey(
        "parties.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The customer's person who answers for it.",
    )
    measure = models.CharField(max_length=200, blank=True, help_text="How progress is measured.")
    target = models.CharField(max_length=200, blank=True, help_text="The value to reach.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    visibility = visibility_field()

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanInitiative(DomainModel):
    """A shared-engine initiative in this plan, its priority and the investment it needs."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.PROTECT, related_name="initiative_links")
    initiative = models.ForeignKey(
        "plans.Initiative", on_delete=models.PROTECT, related_name="account_plan_links"
    )
    priority = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(99)], help_text="1 first."
    )
    investment_amount = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    investment_currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    investment_note = models.CharField(
        max_length=200, blank=True, help_text="What we invest (people, a pilot, a discount)."
    )
    visibility = visibility_field()

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "initiative"],
                condition=models.Q(archived_at__isnull=True),
                name="plan_initiative_once",
                violation_error_message="The initiative is in the plan already.",
            ),
            models.CheckConstraint(
                condition=models.Q(investment_amount__isnull=True)
                | models.Q(investment_amount__gte=0),
                name="plan_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} in {self.plan}"


class PlanAction(DomainModel):
    """An action item of the plan's action plan (a ``reviews.ActionItem``, chased as usual)."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.PROTECT, related_name="action_links")
    action_item = models.ForeignKey(
        "reviews.ActionItem", on_delete=models.PROTECT, related_name="account_plan_links"
    )
    visibility = visibility_field()

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "action_item"],
                condition=models.Q(archived_at__isnull=True),
                name="plan_action_once",
                violation_error_message="The action is in the plan already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_item} in {self.plan}"


class PlanReview(DomainModel):
    """A review of the plan held with the customer (or internally) on a day."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.held_on:%Y-%m-%d}"


class PlanStandard(DomainModel):
    """The company's standard for account plans: one record, kept by administrators.

    Each rule is switched on or off; some carry a parameter.
    """

    executive_sponsor_rule = models.BooleanField(
        "executive sponsor named", default=True, help_text="A contact mapped as executive sponsor."
    )
    locations_rule = models.BooleanField(
        "every location's decision makers mapped",
        default=True,
        help_text="Every site with contacts, installed products or open opportunities has a "
        "mapped decision maker.",
    )
    objectives_complete_rule = models.BooleanField(
        "objectives complete",
        default=True,
        help_text="Each objective has an owner, a customer stakeholder, a measure and a due date.",
    )
    min_objectives_rule = models.BooleanField("enough objectives", default=True)
    min_objectives = models.PositiveSmallIntegerField(
        "at least this many objectives",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    reviewed_recently_rule = models.BooleanField("reviewed recently", default=True)
    review_days = models.PositiveSmallIntegerField(
        "reviewed within this many days",
        default=92,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    next_review_rule = models.BooleanField(
        "next review scheduled", default=True, help_text="Set, and not in the past."
    )
    actions_both_sides_rule = models.BooleanField(
        "actions on both sides",
        default=True,
        help_text="At least one action owned by us and one owned by the customer.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        verbose_name = "plan standard"
        ordering = ["pk"]

    def __str__(self) -> str:
        return "Account plan standard"

    def get_absolute_url(self) -> str:
        return reverse("accountplans:standard")
