"""Seed the response and resolution targets per severity (administrators may change them)."""

from django.db import migrations

DEFAULTS = {
    "critical": (4, 24),
    "high": (8, 72),
    "medium": (24, 168),
    "low": (72, 336),
}


def seed(apps, schema_editor):
    SeverityTarget = apps.get_model("issues", "SeverityTarget")
    for severity, (response, resolution) in DEFAULTS.items():
        SeverityTarget.objects.get_or_create(
            severity=severity,
            defaults={"response_hours": response, "resolution_hours": resolution},
        )


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
