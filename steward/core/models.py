"""Base models every domain record builds on, and the few shared tables of the kernel."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from steward.core.access import AccessSpec, RestrictedQuerySet


class DomainModel(models.Model):
    """A record people enter: timestamped, versioned against lost updates, archived not deleted.

    Concrete models add ``history = HistoricalRecords()`` and an ``access_spec``.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Increases with every saved change; an edit must name the version it read.",
    )
    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    access_spec: ClassVar[AccessSpec]

    # Fields that bookkeeping changes; history and forms leave them out of the differences.
    bookkeeping_fields: ClassVar[frozenset[str]] = frozenset(
        {"created_at", "updated_at", "version", "archived_at", "archived_by"}
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Tag(models.Model):
    """A free label shared by all record types (``critical``, ``emea``, ``cloud``)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def resolve(cls, names: list[str]) -> list[Tag]:
        """Return tags for these names, creating the missing ones; names are case-insensitive."""
        cleaned: dict[str, str] = {}
        for name in names:
            if slugify(name):
                cleaned.setdefault(slugify(name)[:60], name.strip()[:60])  # first spelling wins
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=cleaned)}
        missing = [Tag(name=cleaned[slug], slug=slug) for slug in cleaned if slug not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=cleaned)}
        return [existing[slug] for slug in cleaned]


class ScheduledRun(models.Model):
    """One row per periodic job and time slot, so several workers never enqueue a slot twice."""

    job = models.CharField(max_length=100)
    slot = models.CharField(max_length=40, help_text="The period this run covers, e.g. 2026-11-25.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once")]
        ordering = ["-enqueued_at"]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot}"


class Notification(models.Model):
    """An in-app alert for one person (a vendor changed quadrant, a deadline approaches)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(owner="recipient")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
