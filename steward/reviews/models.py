"""Activities logged against a relationship (meetings, calls, visits, notes) and business reviews
with their agenda, minutes, decisions and action items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.reviews.choices import (
    ActionSide,
    ActionStatus,
    ActivityKind,
    ReviewKind,
    ReviewStatus,
)


class Activity(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(
        max_length=20, choices=ActivityKind.choices, default=ActivityKind.MEETING
    )
    subject = models.CharField(max_length=200)
    occurred_on = models.DateField()
    summary = models.TextField(blank=True, help_text="What was discussed and agreed.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities_logged"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="activities"
    )
    contacts = models.ManyToManyField("parties.Contact", blank=True, related_name="activities")
    follow_up_on = models.DateField(null=True, blank=True)
    face_to_face = models.BooleanField(
        "face to face",
        default=False,
        help_text="We met the counterparty's people in person (counts for the meeting cadence).",
    )

    history = HistoricalRecords(m2m_fields=[participants, contacts])
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["relationship", "occurred_on"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reviews:activity-detail", args=[self.pk])


class BusinessReview(DomainModel):
    """A quarterly business review with a vendor or an account review with a customer.

    ``agenda`` is assembled from what Steward knows when the review is prepared (scorecard,
    SLA attainment, open issues, initiatives, open actions of the last review) and kept as it was,
    so the pack shows what the meeting saw.
    """

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="business_reviews"
    )
    kind = models.CharField(
        max_length=20, choices=ReviewKind.choices, default=ReviewKind.BUSINESS_REVIEW
    )
    title = models.CharField(max_length=200)
    scheduled_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    held_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="business_reviews"
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="business_reviews_attended"
    )
    contacts = models.ManyToManyField(
        "parties.Contact", blank=True, related_name="business_reviews"
    )
    agenda = models.JSONField(default=list, blank=True)
    agenda_prepared_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True, help_text="Why the review was called off.")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The review before this one, whose open actions carry over.",
    )

    history = HistoricalRecords(m2m_fields=[attendees, contacts])
    access_spec = AccessSpec(owner="owner", parent="relationship")

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        indexes = [models.Index(fields=["relationship", "scheduled_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", args=[self.pk])


class ReviewDecision(DomainModel):
    review = models.ForeignKey(BusinessReview, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="review")

    class Meta:
        ordering = ["review_id", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(DomainModel):
    """Something to do after a review, owned on our side by a user or on theirs by a contact."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="action_items"
    )
    review = models.ForeignKey(
        BusinessReview,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    title = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=ActionSide.choices, default=ActionSide.OURS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_contact = models.ForeignKey(
        "parties.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField(blank=True, help_text="Progress notes and what was chased.")
    chased_at = models.DateTimeField(null=True, blank=True)
    shared_with_portal = models.BooleanField(
        default=False, help_text="The counterparty's portal users may see this action."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        owner="owner",
        parent="relationship",
        portal_organization="relationship__organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(side="ours", owner_contact__isnull=True))
                | models.Q(side="theirs", owner__isnull=True),
                name="action_item_owner_on_its_side",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:action-detail", args=[self.pk])
