"""The database itself refuses to change an event log entry, or (on PostgreSQL) to delete one.

SQLite gets no delete trigger: Django's test flush empties tables with DELETE there, while on
PostgreSQL it truncates, which row triggers do not see. The model and its queryset refuse
deletes on both.
"""

from django.db import migrations

TABLE = "sourcing_eventlogentry"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE FUNCTION sourcing_eventlog_refuse() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'The event log is append-only.';
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        schema_editor.execute(
            f"CREATE TRIGGER sourcing_eventlog_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION sourcing_eventlog_refuse();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER sourcing_eventlog_no_update BEFORE UPDATE ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'The event log is append-only.'); END;"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS sourcing_eventlog_append_only ON {TABLE};")
        schema_editor.execute("DROP FUNCTION IF EXISTS sourcing_eventlog_refuse();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS sourcing_eventlog_no_update;")


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
