# The map is read as it stood at a moment (documents as of their date of issue, update reports
# between two moments): the latest historical row of each object at or before it, found through
# an index on (object id, history date). The index lives outside the model state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mechanisms", "0002_map_import_from_issues"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS mechanisms_historicalmechanism_id_date ON mechanisms_historicalmechanism (id, history_date)",
            "DROP INDEX IF EXISTS mechanisms_historicalmechanism_id_date",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS mechanisms_historicalcoverage_id_date ON mechanisms_historicalcoverage (id, history_date)",
            "DROP INDEX IF EXISTS mechanisms_historicalcoverage_id_date",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS mechanisms_historicalgap_id_date ON mechanisms_historicalgap (id, history_date)",
            "DROP INDEX IF EXISTS mechanisms_historicalgap_id_date",
        ),
    ]
