"""The map's version token (``MapVersion``), which keys the cached pages of the map. Its triggers
are installed after every ``migrate`` (``mechanisms/triggers.py``); going back, they are dropped
before the table, so that writes to the map's tables do not fail for want of it."""

from django.db import migrations, models

MAP_TABLES = (
    "issues_issue",
    "issues_cluster",
    "mechanisms_mechanism",
    "mechanisms_coverage",
    "mechanisms_gap",
)


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in MAP_TABLES:
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS mechanisms_map_changed ON {table}")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS mechanisms_map_changed_{table}_{event}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS mechanisms_mapchange")
            cursor.execute("DROP FUNCTION IF EXISTS mechanisms_map_changed()")
            cursor.execute("DROP FUNCTION IF EXISTS mechanisms_map_version_bump()")


class Migration(migrations.Migration):
    dependencies = [
        ("mechanisms", "0006_mapimport_task_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="MapVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "map version",
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
