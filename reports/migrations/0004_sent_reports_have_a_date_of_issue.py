from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0003, whose data step must commit before the table is altered again.

    dependencies = [
        ("reports", "0003_date_of_issue_and_symbol"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("sent_at__isnull", True),
                    models.Q(
                        ("content__isnull", False),
                        ("composed_at__isnull", False),
                        ("issued_on__isnull", False),
                        models.Q(("subject", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="report_sent_is_issued",
            ),
        ),
    ]
