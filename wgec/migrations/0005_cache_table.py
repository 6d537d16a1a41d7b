"""The table of the database cache (settings.CACHES), which keeps the counts of the throttles
of failed logins and subscriptions for every app server: created by ``migrate``, so that no
set-up can forget it. ``createcachetable`` leaves an existing table alone."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("wgec", "0004_meeting_documents")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
