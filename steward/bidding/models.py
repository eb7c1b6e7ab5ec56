"""Bids: what an invited vendor offers, line by line, in immutable versions.

Each submission is a new ``Bid`` with the next ``number``; earlier versions stay as they were, so
revision history is the rows themselves. A bid is sealed: the access policy hides it from every
inside user until the event's closing time (``sealed_until``), and a portal user sees only the
bids of its own organization's invitation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from steward.core.access import AccessSpec
from steward.core.models import DomainModel

SOURCING_FUNCTIONS = ("procurement",)
CLOSES_AT = "invitation__event__closes_at"
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class Immutable(DomainModel):
    """A row written once: a revision is a new row, never an edit."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(f"A submitted {self._meta.verbose_name} cannot be changed.")
        super().save(*args, **kwargs)


def _bid_access(prefix: str, parent: str) -> AccessSpec:
    return AccessSpec(
        parent=parent,
        functions=SOURCING_FUNCTIONS,
        portal_organization=f"{prefix}invitation__supplier__relationship__organization",
        portal_flag=f"{prefix}invitation__visible_to_vendor",
        sealed_until=f"{prefix}{CLOSES_AT}",
    )


class Bid(Immutable):
    """One version of an invitee's bid, as submitted."""

    invitation = models.ForeignKey(
        "sourcing.EventInvitation", on_delete=models.PROTECT, related_name="bids"
    )
    number = models.PositiveSmallIntegerField(help_text="1 for the first submission, then up.")
    currency = models.CharField(max_length=3, help_text="The currency the prices are in.")
    notes = models.TextField(blank=True)
    submitted_at = models.DateTimeField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    access_spec = _bid_access("", "invitation")

    class Meta:
        ordering = ["invitation_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "number"], name="bid_number_once")
        ]

    def __str__(self) -> str:
        return f"Bid v{self.number} · {self.invitation}"


class BidLine(Immutable):
    """The offer on one event line. A line left out of a bid is not offered."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="lines")
    line = models.ForeignKey("sourcing.EventLine", on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(max_digits=18, decimal_places=4, validators=NOT_NEGATIVE)
    price_per = models.DecimalField(
        max_digits=14,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="How many of the line's units the price is for (a box of 100: 100).",
    )
    lead_time_days = models.PositiveIntegerField()
    delivery_cost = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text="Freight and delivery for the whole line, in the bid's currency.",
    )
    lifecycle_cost = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text="Running, maintenance and disposal over the life, for the whole line.",
    )
    notes = models.TextField(blank=True)

    access_spec = _bid_access("bid__", "bid")

    class Meta:
        ordering = ["bid_id", "line__number"]
        constraints = [models.UniqueConstraint(fields=["bid", "line"], name="bid_line_once")]

    def __str__(self) -> str:
        return f"{self.bid} · line {self.line.number}"


class BidAnswer(Immutable):
    """The bid's answer to one of the event's questions to bidders."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(
        "sourcing.BidderQuestion", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()

    access_spec = _bid_access("bid__", "bid")

    class Meta:
        ordering = ["bid_id", "question__number"]
        constraints = [models.UniqueConstraint(fields=["bid", "question"], name="bid_answer_once")]

    def __str__(self) -> str:
        return f"{self.bid} · Q{self.question.number}"


class BidAttachment(Immutable):
    """A file submitted with a bid version; sealed like the bid."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="attachments")
    line = models.ForeignKey(
        "sourcing.EventLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="bids/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    access_spec = _bid_access("bid__", "bid")

    class Meta:
        ordering = ["bid_id", "pk"]

    def __str__(self) -> str:
        return self.original_name
