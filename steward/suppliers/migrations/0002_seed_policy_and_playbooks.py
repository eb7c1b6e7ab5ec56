from django.db import migrations

from steward.suppliers.playbooks import SEGMENT_DEFAULTS


def seed(apps, schema_editor):
    SegmentationPolicy = apps.get_model("suppliers", "SegmentationPolicy")
    SegmentPlaybook = apps.get_model("suppliers", "SegmentPlaybook")
    SegmentationPolicy.objects.get_or_create(pk=1)
    for segment, defaults in SEGMENT_DEFAULTS.items():
        SegmentPlaybook.objects.get_or_create(segment=str(segment), defaults=dict(defaults))


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
