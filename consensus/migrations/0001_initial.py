"""Proposals and consensus in their own room, with their data.

``issues.0005_consensus_moves_to_its_room`` renamed the tables to this room's names; here the
models enter this room's state without touching the database, and their content types move from
``issues`` to ``consensus``: the permissions (and so the Secretariat group and each user holding
them) and the admin's log entries point to content types, and follow.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["consensusitem", "option", "optionsupport", "decision", "proposal"]
MOVED = [*MODELS, *(f"historical{name}" for name in MODELS)]


def _content_types_move(apps, source: str, target: str) -> None:
    """Give the content types of the moved models to ``target``. Where ``target`` already has
    one (a ``migrate`` ran in between and created it), the permissions' holders and the log
    entries of ``source``'s join it, and ``source``'s is deleted."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    log_entry_model = apps.get_model("admin", "LogEntry")
    for model in MOVED:
        old = content_type_model.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = content_type_model.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
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


def content_types_forwards(apps, schema_editor) -> None:
    _content_types_move(apps, "issues", "consensus")


def content_types_backwards(apps, schema_editor) -> None:
    _content_types_move(apps, "consensus", "issues")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("issues", "0005_consensus_moves_to_its_room"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mechanisms", "0001_initial"),
        ("wgec", "0005_cache_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConsensusItem",
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
                        (
                            "summary",
                            models.TextField(
                                help_text="What the correspondence group could not agree on."
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("open", "Without consensus"),
                                    ("referred", "Referred to the working group"),
                                    ("decided", "Decided"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("referred_on", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "coverage",
                            models.ForeignKey(
                                blank=True,
                                help_text="The coverage status in dispute (leave empty when the issue is).",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="consensus_items",
                                to="mechanisms.coverage",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "issue",
                            models.ForeignKey(
                                blank=True,
                                help_text="The issue in dispute (leave empty when a coverage status is in dispute).",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="consensus_items",
                                to="issues.issue",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "item without consensus",
                        "verbose_name_plural": "items without consensus",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalConsensusItem",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "summary",
                            models.TextField(
                                help_text="What the correspondence group could not agree on."
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("open", "Without consensus"),
                                    ("referred", "Referred to the working group"),
                                    ("decided", "Decided"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("referred_on", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "coverage",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The coverage status in dispute (leave empty when the issue is).",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="mechanisms.coverage",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "issue",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The issue in dispute (leave empty when a coverage status is in dispute).",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="issues.issue",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical item without consensus",
                        "verbose_name_plural": "historical items without consensus",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalOption",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("label", models.CharField(help_text="A, B, C ...", max_length=10)),
                        ("text", models.TextField()),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="consensus.consensusitem",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical option",
                        "verbose_name_plural": "historical options",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalProposal",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("issue", "New issue"),
                                    ("mechanism", "Mechanism for an issue"),
                                    ("coverage", "Change of a coverage status"),
                                    ("gap", "Gap"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=300)),
                        ("description", models.TextField(blank=True)),
                        (
                            "mechanism_name",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name of the new mechanism"
                            ),
                        ),
                        (
                            "mechanism_acronym",
                            models.CharField(blank=True, max_length=50, verbose_name="acronym"),
                        ),
                        (
                            "mechanism_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="kind"),
                        ),
                        ("mechanism_website", models.URLField(blank=True, verbose_name="website")),
                        ("status", models.CharField(blank=True, max_length=20)),
                        ("evidence", models.TextField(blank=True)),
                        ("gap_type", models.CharField(blank=True, max_length=20)),
                        ("gap_description", models.TextField(blank=True)),
                        (
                            "gap_recommendation",
                            models.TextField(blank=True, verbose_name="recommendation needed"),
                        ),
                        (
                            "baseline",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="What the proposal changes, as it stood when it was made (to detect a stale proposal).",
                            ),
                        ),
                        ("justification", models.TextField(help_text="Plain text with Markdown.")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "reason",
                            models.TextField(
                                blank=True, help_text="Why the proposal was declined."
                            ),
                        ),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "cluster",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="issues.cluster",
                            ),
                        ),
                        (
                            "coverage",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="mechanisms.coverage",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "issue",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The issue concerned; for a new issue, the issue created on acceptance.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="issues.issue",
                            ),
                        ),
                        (
                            "mechanism",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="mechanisms.mechanism",
                            ),
                        ),
                        (
                            "proposer",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="wgec.participant",
                            ),
                        ),
                        (
                            "reviewer",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical proposal",
                        "verbose_name_plural": "historical proposals",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Option",
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
                        ("label", models.CharField(help_text="A, B, C ...", max_length=10)),
                        ("text", models.TextField()),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="options",
                                to="consensus.consensusitem",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["item", "label"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalOptionSupport",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("stated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="consensus.consensusitem",
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="wgec.participant",
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="consensus.option",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical support for an option",
                        "verbose_name_plural": "historical support for options",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalDecision",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "text",
                            models.TextField(
                                blank=True, help_text="New text adopted by the group."
                            ),
                        ),
                        ("decided_on", models.DateField()),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="consensus.consensusitem",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="wgec.meeting",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The option chosen, or empty when the group adopted new text.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="consensus.option",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical decision",
                        "verbose_name_plural": "historical decisions",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Decision",
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
                        (
                            "text",
                            models.TextField(
                                blank=True, help_text="New text adopted by the group."
                            ),
                        ),
                        ("decided_on", models.DateField()),
                        (
                            "item",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decision",
                                to="consensus.consensusitem",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="decisions",
                                to="wgec.meeting",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                blank=True,
                                help_text="The option chosen, or empty when the group adopted new text.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="decisions",
                                to="consensus.option",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-decided_on"],
                    },
                ),
                migrations.CreateModel(
                    name="OptionSupport",
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
                        ("stated_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="consensus.consensusitem",
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="consensus.option",
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="option_supports",
                                to="wgec.participant",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "support for an option",
                        "verbose_name_plural": "support for options",
                        "ordering": ["option", "participant__name"],
                    },
                ),
                migrations.CreateModel(
                    name="Proposal",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("issue", "New issue"),
                                    ("mechanism", "Mechanism for an issue"),
                                    ("coverage", "Change of a coverage status"),
                                    ("gap", "Gap"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=300)),
                        ("description", models.TextField(blank=True)),
                        (
                            "mechanism_name",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name of the new mechanism"
                            ),
                        ),
                        (
                            "mechanism_acronym",
                            models.CharField(blank=True, max_length=50, verbose_name="acronym"),
                        ),
                        (
                            "mechanism_kind",
                            models.CharField(blank=True, max_length=20, verbose_name="kind"),
                        ),
                        ("mechanism_website", models.URLField(blank=True, verbose_name="website")),
                        ("status", models.CharField(blank=True, max_length=20)),
                        ("evidence", models.TextField(blank=True)),
                        ("gap_type", models.CharField(blank=True, max_length=20)),
                        ("gap_description", models.TextField(blank=True)),
                        (
                            "gap_recommendation",
                            models.TextField(blank=True, verbose_name="recommendation needed"),
                        ),
                        (
                            "baseline",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="What the proposal changes, as it stood when it was made (to detect a stale proposal).",
                            ),
                        ),
                        ("justification", models.TextField(help_text="Plain text with Markdown.")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "reason",
                            models.TextField(
                                blank=True, help_text="Why the proposal was declined."
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "cluster",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="issues.cluster",
                            ),
                        ),
                        (
                            "coverage",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="proposals",
                                to="mechanisms.coverage",
                            ),
                        ),
                        (
                            "issue",
                            models.ForeignKey(
                                blank=True,
                                help_text="The issue concerned; for a new issue, the issue created on acceptance.",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="proposals",
                                to="issues.issue",
                            ),
                        ),
                        (
                            "mechanism",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="proposals",
                                to="mechanisms.mechanism",
                            ),
                        ),
                        (
                            "proposer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="proposals",
                                to="wgec.participant",
                            ),
                        ),
                        (
                            "reviewer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("state__in", ["open", "referred", "decided"])),
                        name="consensus_item_state_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("issue__isnull", False), ("coverage__isnull", True)),
                            models.Q(("issue__isnull", True), ("coverage__isnull", False)),
                            _connector="OR",
                        ),
                        name="consensus_item_one_subject",
                        violation_error_message="An item without consensus concerns either the issue or one of its coverage statuses: give one of the two.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("state", "open"), ("referred_on__isnull", False), _connector="OR"
                        ),
                        name="consensus_item_referred_has_date",
                        violation_error_message="Give the date on which the item was referred to the working group.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("issue__isnull", False)),
                        fields=("issue",),
                        name="consensus_item_issue",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("coverage__isnull", False)),
                        fields=("coverage",),
                        name="consensus_item_coverage",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consensusitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("summary", ""), _negated=True),
                        name="consensus_item_has_summary",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="option",
                    constraint=models.UniqueConstraint(
                        fields=("item", "label"), name="option_label_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="option",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True),
                        name="option_text_not_empty",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="decision",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("option__isnull", False),
                            models.Q(("text", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="decision_option_or_text",
                        violation_error_message="A decision chooses one of the options or adopts new text.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="optionsupport",
                    constraint=models.UniqueConstraint(
                        fields=("item", "participant"), name="option_support_once_per_item"
                    ),
                ),
                migrations.AddIndex(
                    model_name="proposal",
                    index=models.Index(
                        fields=["state", "created_at"], name="proposal_state_created"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposal",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["issue", "mechanism", "coverage", "gap"])),
                        name="proposal_kind_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposal",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("state__in", ["pending", "accepted", "declined", "withdrawn"])
                        ),
                        name="proposal_state_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposal",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("justification", ""), _negated=True),
                        name="proposal_has_justification",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposal",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("state", "declined"), _negated=True),
                            models.Q(("reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="proposal_declined_with_reason",
                        violation_error_message="Give the reason for declining the proposal.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposal",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("kind", "issue"), ("issue__isnull", False), _connector="OR"
                        ),
                        name="proposal_names_its_issue",
                    ),
                ),
            ]
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
