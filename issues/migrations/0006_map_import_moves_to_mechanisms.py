"""The map workbook's imports move to the mechanisms room, with their data: the table takes that
room's name and the model leaves this room's state (``mechanisms.0002_map_import_from_issues``
takes it up and moves its content type)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0005_consensus_moves_to_its_room"),
    ]

    operations = [
        migrations.AlterModelTable(name="mapimport", table="mechanisms_mapimport"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="mapimport")]
        ),
    ]
