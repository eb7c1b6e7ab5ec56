from decimal import Decimal

from django.db import migrations

CADENCE_DAYS = {1: 30, 2: 60, 3: 90, 4: 180}


def seed(apps, schema_editor):
    standard = apps.get_model("satisfaction", "SatisfactionStandard")
    if not standard.objects.exists():
        standard.objects.create(
            nps_minimum=30, csat_minimum_pct=Decimal(80), minimum_responses=3, window_months=12
        )
    cadence = apps.get_model("satisfaction", "MeetingCadence")
    for tier, days in CADENCE_DAYS.items():
        cadence.objects.get_or_create(tier=tier, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
