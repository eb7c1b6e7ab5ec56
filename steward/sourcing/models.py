"""Sourcing events: requests for quotation or proposal, their lines, who is invited to bid, the
questions and answers published to bidders, and the append-only log of everything that happened.

Bids live in ``steward.bidding`` and awards in ``steward.awards``; both hang off an event's
invitations. An event is sealed until its closing time: the access policy hides bid rows from
every inside user until then (``AccessSpec.sealed_until``), so nothing here may copy a bid's
contents into a field, a log entry or a notification.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from steward.core.access import Access, AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.sourcing.choices import (
    AwardRule,
    EvaluationMethod,
    EventKind,
    EventStatus,
    InvitationStatus,
    LineKind,
    LogAction,
)

# Procurement runs sourcing for everyone, as finance keeps spend.
SOURCING_FUNCTIONS = ("procurement",)
VENDOR_ORGANIZATION = "supplier__relationship__organization"
POSITIVE = [MinValueValidator(Decimal("0.001"))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]
# Non-price feature values are fractions of the price; their maxima may sum to at most 0.3.
FEATURE_MAX = [MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("0.3"))]
SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


def unit_price_field(verbose_name: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=help_text,
    )


class SourcingEvent(DomainModel):
    """A request for quotation (price-led) or proposal (weighted criteria) in one category."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.RFQ)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        "suppliers.Category", on_delete=models.PROTECT, related_name="sourcing_events"
    )
    currency = models.CharField(
        max_length=3, help_text="Bids are compared in this currency (ISO 4217 code)."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcing_events"
    )
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Bids are accepted from this moment."
    )
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Bids are accepted until this moment, by the server's clock; the seal lifts.",
    )
    evaluation_method = models.CharField(
        max_length=20, choices=EvaluationMethod.choices, default=EvaluationMethod.LOWEST_PRICE
    )
    award_rule = models.CharField(
        max_length=10, choices=AwardRule.choices, default=AwardRule.SINGLE
    )
    open_to_category = models.BooleanField(
        default=False,
        help_text="Published to every vendor prequalified for the category, not only those "
        "invited.",
    )
    reverse_auction = models.BooleanField(
        default=False, help_text="While open, each bidder sees its own rank (never prices)."
    )
    confirm_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days a winner has to confirm the award before it falls to the next bid.",
    )
    scorecard_weight = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=SHARE,
        help_text="Share of the price added to a bid's cost of ownership per missing point of "
        "the vendor's scorecard (0 ignores the scorecard).",
    )
    quality_cost_rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=SHARE,
        help_text="Expected quality cost as a share of the price (rework, returns, inspection).",
    )
    award_rationale = models.TextField(blank=True)
    award_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_proposed_at = models.DateTimeField(null=True, blank=True)
    award_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="owner", members="members", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="sourcing_event_closes_after_opening",
                violation_error_message="The closing time is not after the opening time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("sourcing:event-detail", args=[self.pk])

    def is_closed_at(self, moment: Any = None) -> bool:
        """Past its closing time (whatever the status says; a job catches the status up)."""
        moment = moment or timezone.now()
        return self.closes_at is not None and self.closes_at <= moment

    def accepts_bids_at(self, moment: Any = None) -> bool:
        moment = moment or timezone.now()
        return (
            self.status == EventStatus.OPEN
            and self.closes_at is not None
            and moment < self.closes_at
            and (self.opens_at is None or self.opens_at <= moment)
        )


class SourcingEventMember(DomainModel):
    """A colleague on the event's team (an evaluator, the requester, a category manager)."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcing_memberships"
    )
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.REVIEW)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(archived_at__isnull=True),
                name="sourcing_event_member_once",
                violation_error_message="This person is on the event's team already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.event}"


class EventLine(DomainModel):
    """One thing asked for: a part or a service, how much, by when."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="lines")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.PART)
    description = models.CharField(max_length=200)
    specification = models.TextField(blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, validators=POSITIVE)
    unit = models.CharField(max_length=20, default="each")
    target_delivery_date = models.DateField(null=True, blank=True)
    target_unit_price = unit_price_field(
        "target unit price", "What the buyer expects to pay per unit, in the event's currency."
    )
    last_unit_price = unit_price_field(
        "last price paid", "The last price paid per unit, in the event's currency."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="sourcing_line_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"


class EventAttachment(DomainModel):
    """A drawing or specification every invitee may download (the event's or one line's)."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="attachments")
    line = models.ForeignKey(
        EventLine, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="sourcing/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "pk"]

    def __str__(self) -> str:
        return self.original_name


class BidderQuestion(DomainModel):
    """A question every bid answers (warranty terms, certifications held, support model)."""

    event = models.ForeignKey(
        SourcingEvent, on_delete=models.PROTECT, related_name="bidder_questions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    required = models.BooleanField(default=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"], name="sourcing_bidder_question_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"Q{self.number} {self.text[:60]}"


class EvaluationCriterion(DomainModel):
    """A non-price feature of a weighted evaluation, worth at most ``max_value`` of the price."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    max_value = models.DecimalField(max_digits=5, decimal_places=4, validators=FEATURE_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "order", "pk"]
        verbose_name_plural = "evaluation criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="sourcing_criterion_name_once",
                violation_error_message="The event has a criterion of that name already.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventInvitation(DomainModel):
    """A vendor invited to bid; the vendor's portal users see the event through it."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="invitations")
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="sourcing_invitations"
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(
        blank=True,
        help_text="Why a vendor that is not prequalified, or whose standing blocks sourcing, "
        "was invited all the same.",
    )
    declined_reason = models.TextField(blank=True)
    # Set when the event is published: a draft's invitations are not the vendor's business yet.
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
        constraints = [
            models.UniqueConstraint(
                fields=["event", "supplier"],
                name="sourcing_invitation_once",
                violation_error_message="This vendor is invited to the event already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.event.reference}"

    def get_absolute_url(self) -> str:
        return reverse("bidding:portal-event", args=[self.pk])


class Clarification(DomainModel):
    """A bidder's question and the buyer's answer, published to every invitee without the asker.

    ``invitation`` records who asked, for the buyer only; portal users reach published
    clarifications through their own invitation, and their own questions through ``invitation``.
    """

    event = models.ForeignKey(
        SourcingEvent, on_delete=models.PROTECT, related_name="clarifications"
    )
    invitation = models.ForeignKey(
        EventInvitation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clarifications",
        help_text="The invitee who asked; never shown to other bidders.",
    )
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "pk"]

    def __str__(self) -> str:
        return self.question[:80]


class AppendOnlyQuerySet(RestrictedQuerySet["EventLogEntry"]):
    """The log is written once: no bulk update or delete."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError("The event log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("The event log is append-only.")


class EventLogEntry(models.Model):
    """One timestamped thing that happened to an event. Append-only: never changed or removed
    (the database refuses it too, see the migration), and never carries a bid's contents."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for what the system did (closing on time, an award lapsing).",
    )
    action = models.CharField(max_length=30, choices=LogAction.choices)
    invitation = models.ForeignKey(
        EventInvitation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()
    access_spec = AccessSpec(parent="event", functions=SOURCING_FUNCTIONS)

    class Meta:
        ordering = ["event_id", "at", "pk"]
        verbose_name_plural = "event log entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("The event log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("The event log is append-only.")
