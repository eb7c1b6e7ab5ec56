"""Post-visit notes: what one visit to a customer account changed.

The visit itself is logged as a ``reviews.Activity`` (a site visit or meeting, face to face by
default) so every screen that counts meetings sees it; a ``Visit`` links that activity to the
site visited, who recorded the note, the account plan it updated and, in ``changes``, exactly
what the note changed (last met dates, sentiments, actions added and closed), so the history
shows what one step did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel


class Visit(DomainModel):
    """One post-visit note of an account (a demand-side ``parties.Relationship``)."""

    relationship = models.ForeignKey(
        "parties.Relationship",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="account",
    )
    activity = models.OneToOneField(
        "reviews.Activity", on_delete=models.PROTECT, related_name="visit"
    )
    location = models.ForeignKey(
        "parties.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The customer's site visited; empty for a visit not tied to one site.",
    )
    visited_on = models.DateField(db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits_recorded"
    )
    plan = models.ForeignKey(
        "accountplans.AccountPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The account plan whose relationship map and actions the note updated.",
    )
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="What the note changed: one entry per last met date, sentiment and action.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["relationship", "visited_on"])]

    def __str__(self) -> str:
        return f"Visit to {self.relationship.organization} on {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("visits:brief", args=[self.relationship_id]) + f"#visit-{self.pk}"
