from django.db import migrations

from steward.parties.choices import CONTACT_ROLES


def seed(apps, schema_editor):
    ContactRole = apps.get_model("parties", "ContactRole")
    for code, label in CONTACT_ROLES:
        ContactRole.objects.update_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
