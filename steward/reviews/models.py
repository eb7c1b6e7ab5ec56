"""Activities logged against a relationship: meetings, calls, visits, notes.

Business reviews with agendas, minutes and action items grow from here (a later issue).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.reviews.choices import ActivityKind


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
