"""Evaluation and award of a closed sourcing event.

Evaluators score each invitee's latest bid on the event's non-price criteria
(``CriterionScore``); the arithmetic (evaluated price, cost of ownership, abnormally low bids,
ranking) lives in ``evaluation.py`` and is computed, never stored. An ``Award`` gives one vendor
some or all of the event's lines (a split award is several awards), waits for the vendor's
confirmation, and when confirmed drafts the contract and records the saving.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.awards.choices import AwardStatus
from steward.core.access import AccessSpec
from steward.core.models import DomainModel

SOURCING_FUNCTIONS = ("procurement",)
VENDOR_ORGANIZATION = "invitation__supplier__relationship__organization"


class CriterionScore(DomainModel):
    """An evaluator's value for one non-price feature of one invitee's bid (0..the maximum)."""

    invitation = models.ForeignKey(
        "sourcing.EventInvitation", on_delete=models.PROTECT, related_name="criterion_scores"
    )
    criterion = models.ForeignKey(
        "sourcing.EvaluationCriterion", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.3"))],
    )
    note = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="invitation", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["invitation_id", "criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "criterion"], name="award_criterion_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion} · {self.invitation}"


class Award(DomainModel):
    """Lines of an event given to one vendor, from proposal to the vendor's confirmation."""

    event = models.ForeignKey(
        "sourcing.SourcingEvent", on_delete=models.PROTECT, related_name="awards"
    )
    invitation = models.ForeignKey(
        "sourcing.EventInvitation", on_delete=models.PROTECT, related_name="awards"
    )
    bid = models.ForeignKey(
        "bidding.Bid",
        on_delete=models.PROTECT,
        related_name="awards",
        help_text="The bid version awarded (the invitee's last before closing).",
    )
    status = models.CharField(
        max_length=30, choices=AwardStatus.choices, default=AwardStatus.PROPOSED, db_index=True
    )
    rank = models.PositiveSmallIntegerField(
        default=1, help_text="The bid's rank when awarded (2 when it fell to the runner-up)."
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_award",
        help_text="The award that lapsed or was declined before falling to this one.",
    )
    confirm_by = models.DateTimeField(null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_note = models.TextField(blank=True)
    low_bid_justification = models.TextField(
        blank=True, help_text="Why an abnormally low bid is sound (required to award one)."
    )
    total = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        default=Decimal(0),
        help_text="What the awarded lines cost, in the event's currency.",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sourcing_awards",
    )
    savings = models.ForeignKey(
        "savings.SavingsInitiative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sourcing_awards",
    )
    # Shown to the vendor once approved, so the portal can ask for the confirmation.
    visible_to_vendor = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="event",
        functions=SOURCING_FUNCTIONS,
        portal_organization=VENDOR_ORGANIZATION,
        portal_flag="visible_to_vendor",
    )

    class Meta:
        ordering = ["event_id", "pk"]

    def __str__(self) -> str:
        return f"Award of {self.event.reference} to {self.invitation.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("awards:award-detail", args=[self.pk])


class AwardLine(DomainModel):
    """One event line in an award, at the awarded bid's price converted to the event's currency."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="lines")
    line = models.ForeignKey("sourcing.EventLine", on_delete=models.PROTECT, related_name="+")
    bid_line = models.ForeignKey("bidding.BidLine", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(
        max_digits=18, decimal_places=4, help_text="Per line unit, in the event's currency."
    )
    baseline_unit_price = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The target price, else the last price paid: what the saving is measured from.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="award",
        functions=SOURCING_FUNCTIONS,
        portal_organization=f"award__{VENDOR_ORGANIZATION}",
        portal_flag="award__visible_to_vendor",
    )

    class Meta:
        ordering = ["award_id", "line__number"]
        constraints = [models.UniqueConstraint(fields=["award", "line"], name="award_line_once")]

    def __str__(self) -> str:
        return f"{self.award} · line {self.line.number}"

    @property
    def total(self) -> Decimal:
        """The line's amount, to the cent."""
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)
