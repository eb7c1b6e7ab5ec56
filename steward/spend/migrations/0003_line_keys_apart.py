from django.db import migrations, models


def copy_keys(apps, schema_editor):
    """One key row per line already in the ledger, written in key order."""
    key = apps.get_model("spend", "SpendLineKey")._meta.db_table
    line = apps.get_model("spend", "SpendLine")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(key)} (month, line_key) "  # noqa: S608 - table names only
        f"SELECT month, line_key FROM {quote(line)} ORDER BY month, line_key"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("spend", "0002_cost_center_cell_maverick"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpendLineKey",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "month",
                        "line_key",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("month", models.PositiveIntegerField()),
                ("line_key", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="spendline",
            name="spend_line_identity",
        ),
    ]
