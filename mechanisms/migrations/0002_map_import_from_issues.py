"""The map workbook's imports in the mechanisms room, with their data.

``issues.0006_map_import_moves_to_mechanisms`` renamed the table; here the model enters this
room's state without touching the database, and its content type moves from ``issues`` to
``mechanisms`` (permissions and the admin's log entries follow it).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_type_move(apps, source: str, target: str) -> None:
    """Give the moved model's content type to ``target``; where ``target`` already has one (a
    ``migrate`` ran in between and created it), the holders of ``source``'s permissions and its
    log entries join it, and ``source``'s is deleted."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    log_entry_model = apps.get_model("admin", "LogEntry")
    old = content_type_model.objects.filter(app_label=source, model="mapimport").first()
    if old is None:
        return
    new = content_type_model.objects.filter(app_label=target, model="mapimport").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    for permission in permission_model.objects.filter(content_type=old):
        twin = permission_model.objects.filter(
            content_type=new, codename=permission.codename
        ).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    log_entry_model.objects.filter(content_type=old).update(content_type=new)
    old.delete()


def content_type_forwards(apps, schema_editor) -> None:
    _content_type_move(apps, "issues", "mechanisms")


def content_type_backwards(apps, schema_editor) -> None:
    _content_type_move(apps, "mechanisms", "issues")


class Migration(migrations.Migration):
    dependencies = [
        ("mechanisms", "0001_initial"),
        ("issues", "0006_map_import_moves_to_mechanisms"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MapImport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("filename", models.CharField(max_length=255)),
                        (
                            "content",
                            models.BinaryField(help_text="The uploaded files, as a zip archive."),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("reading", "Reading the file"),
                                    ("ready", "Ready to apply"),
                                    ("invalid", "Has errors"),
                                    ("applying", "Applying"),
                                    ("applied", "Applied"),
                                    ("failed", "Failed"),
                                ],
                                default="reading",
                                max_length=20,
                            ),
                        ),
                        ("preview", models.JSONField(blank=True, default=dict)),
                        ("error", models.TextField(blank=True)),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("applied_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "applied_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "map import",
                        "ordering": ["-uploaded_at"],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
