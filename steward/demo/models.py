"""The marker that makes loading demo data idempotent: one row per loaded data set."""

from __future__ import annotations

from django.db import models


class DemoDataset(models.Model):
    """Written in the same transaction as the data it describes, so it exists only if they do."""

    size = models.CharField(max_length=20, unique=True)
    seed = models.PositiveIntegerField()
    loaded_at = models.DateTimeField()
    counts = models.JSONField(default=dict, help_text="Rows written per model, for the record.")
    logins = models.JSONField(default=list, help_text="The demo logins printed after loading.")

    class Meta:
        ordering = ["loaded_at"]
        verbose_name = "demo data set"

    def __str__(self) -> str:
        return f"{self.size} demo data (seed {self.seed})"
