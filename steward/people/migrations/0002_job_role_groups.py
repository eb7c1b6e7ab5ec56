from django.db import migrations

from steward.people.choices import JobRole


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in JobRole:
        Group.objects.get_or_create(name=role.value)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
