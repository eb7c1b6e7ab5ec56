"""The company's plan standard as shipped: every rule on, one objective, a review in 92 days."""

from django.db import migrations


def create_default(apps, schema_editor):
    standard = apps.get_model("accountplans", "PlanStandard")
    if not standard.objects.exists():
        standard.objects.create()


class Migration(migrations.Migration):
    dependencies = [("accountplans", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
