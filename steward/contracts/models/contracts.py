"""The contract engine: agreements on a relationship, on either side, with their approvals and
negotiation log.

A contract belongs to a relationship (a supply-side relationship makes it a buy-side contract,
a demand-side one a sell-side contract), so the relationship's owner and team reach it; its own
owner and stakeholders do too.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.contracts.choices import (
    ConcededBy,
    ContractKind,
    ContractStatus,
    Decision,
    NegotiatedTerm,
    PeriodUnit,
)
from steward.core.access import Access, AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.parties.choices import Side, TeamRole
from steward.people.choices import Function


def _money(help_text: str = "") -> models.DecimalField:
    """An amount that cannot be negative; empty means not known."""
    return models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


class Contract(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="contracts"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ContractKind.choices)
    reference = models.CharField(
        max_length=60, blank=True, help_text="The number either party files it under."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The master agreement a statement of work or amendment falls under.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_owned"
    )
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    description = models.TextField(blank=True)

    currency = models.CharField(max_length=3, default="EUR")
    total_value = _money()
    annual_value = _money()
    payment_terms = models.CharField(max_length=60, blank=True, help_text="e.g. 30 days net.")

    start_date = models.DateField(null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Length of the initial term; sets the end date."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="End of the current term; empty for an evergreen one."
    )
    evergreen = models.BooleanField(
        default=False, help_text="Runs until either party gives notice."
    )
    auto_renews = models.BooleanField(default=False)
    renewal_term_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Each renewal's length; the initial term's if empty."
    )
    notice_count = models.PositiveSmallIntegerField(default=0)
    notice_unit = models.CharField(
        max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.DAYS
    )
    # Derived by the services from the terms above; stored so the renewal radar is one query.
    notice_deadline = models.DateField(null=True, blank=True, editable=False, db_index=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="owner", members="stakeholders", parent="relationship")

    class Meta:
        ordering = ["end_date", "title", "pk"]
        indexes = [models.Index(fields=["status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract-detail", args=[self.pk])

    @property
    def side(self) -> str:
        """buy for a vendor's contract, sell for a customer's."""
        return "buy" if self.relationship.side == Side.SUPPLY else "sell"


class ContractStakeholder(DomainModel):
    """An internal person with a part in the contract: legal, finance, an approver."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="stakeholders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_roles"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.REVIEW)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["contract_id", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "user"],
                condition=models.Q(archived_at__isnull=True),
                name="contract_stakeholder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ContractTransition(models.Model):
    """One move of a contract through its workflow: append-only."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ContractStatus.choices)
    to_status = models.CharField(max_length=20, choices=ContractStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    access_spec = AccessSpec(parent="contract")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ApprovalRule(DomainModel):
    """Who must approve which contracts: e.g. legal always, finance above a yearly value."""

    name = models.CharField(max_length=120)
    function = models.CharField(max_length=30, choices=Function.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_rules"
    )
    kinds = models.JSONField(
        default=list, blank=True, help_text="Contract kinds it applies to; empty means all."
    )
    side = models.CharField(
        max_length=10,
        choices=[("buy", "Buy side"), ("sell", "Sell side")],
        blank=True,
        help_text="Empty means both sides.",
    )
    min_annual_value = _money(
        "Applies from this yearly value up (in the contract's currency); empty: always."
    )
    order = models.PositiveSmallIntegerField(default=10)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ContractApproval(DomainModel):
    """One approval a contract needs in a round of approval, and its decision."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="approvals")
    rule = models.ForeignKey(
        ApprovalRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(max_length=30, choices=Function.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_approvals"
    )
    round = models.PositiveSmallIntegerField(default=1)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["contract_id", "-round", "pk"]

    def __str__(self) -> str:
        return f"{self.get_function_display()}: {self.get_decision_display()}"


class NegotiationEntry(DomainModel):
    """Where each side stands on one term, and who moved."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="negotiation_entries"
    )
    term = models.CharField(max_length=20, choices=NegotiatedTerm.choices)
    our_position = models.TextField(blank=True)
    their_position = models.TextField(blank=True)
    conceded_by = models.CharField(max_length=10, choices=ConcededBy.choices, blank=True)
    concession = models.TextField(blank=True, help_text="What was given, and for what.")
    logged_on = models.DateField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["contract_id", "-logged_on", "-pk"]
        verbose_name_plural = "negotiation entries"

    def __str__(self) -> str:
        return f"{self.get_term_display()} ({self.logged_on})"
