"""The public pages' version token (``PublicVersion``), which keys the public pages' cached parts.
Its triggers are installed after every ``migrate`` (``wgec/public_version.py``); going back,
they are dropped before the table, so that writes to the tables they follow do not fail for want
of it."""

from django.db import migrations, models

from wgec.public_version import PUBLIC_TABLES


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in PUBLIC_TABLES:
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS wgec_public_changed ON {table}")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS wgec_public_changed_{table}_{event}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS wgec_publicchange")
            cursor.execute("DROP FUNCTION IF EXISTS wgec_public_changed()")
            cursor.execute("DROP FUNCTION IF EXISTS wgec_public_version_bump()")


class Migration(migrations.Migration):
    dependencies = [
        ("wgec", "0010_names_marked_for_translation"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.CharField(max_length=32, verbose_name="token")),
            ],
            options={
                "verbose_name": "public pages version",
                "verbose_name_plural": "public pages versions",
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
