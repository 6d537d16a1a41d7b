import os
import sqlite3
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from consensus.models import ConsensusItem, Decision, Option, OptionSupport, Proposal
from consensus.triggers import CONSENSUS_TRIGGERS
from mechanisms.models import MapImport
from mechanisms.triggers import MAP_VERSION_TRIGGERS
from tests.factories import MeetingFactory
from wgec.services import SECRETARIAT_APPS
from wgec.triggers import triggers_install

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrate_alone_creates_the_cache_table_the_login_throttle_needs(tmp_path):
    """A deployment runs ``migrate`` and nothing else: logging in must work afterwards."""
    database = tmp_path / "fresh.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert settings.CACHES["default"]["LOCATION"] in tables


def test_migrate_alone_gives_the_secretariat_group_every_permission_of_the_exercise(tmp_path):
    """The rooms installed after ``wgec`` create their permissions later in the same ``migrate``:
    the Secretariat group holds them all the same."""
    database = tmp_path / "fresh.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with sqlite3.connect(database) as db:
        held = {
            row[0]
            for row in db.execute(
                "SELECT DISTINCT content_type.app_label FROM auth_group_permissions AS held"
                " JOIN auth_group AS grp ON grp.id = held.group_id"
                " JOIN auth_permission AS permission ON permission.id = held.permission_id"
                " JOIN django_content_type AS content_type"
                " ON content_type.id = permission.content_type_id"
                " WHERE grp.name = 'Secretariat'"
            )
        }
    assert set(SECRETARIAT_APPS) <= held


# The consensus room and the map workbook's imports moved out of ``issues`` with their data.
BEFORE_THE_MOVES = [("issues", "0004_proposals_comments"), ("mechanisms", "0001_initial")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrating_from_the_old_layout_moves_consensus_and_map_imports_with_their_data():
    """A database of the old layout (proposals, consensus and map imports in ``issues``), with
    data, permissions held by the Secretariat group and the admin's log, migrates to the rooms
    of today and keeps all of it; the consensus room's triggers guard the renamed tables."""
    try:
        loader = _migrate(BEFORE_THE_MOVES).loader
        old = loader.project_state(list(loader.applied_migrations)).apps
        user = old.get_model("auth", "User").objects.create(username="secretariat", is_staff=True)
        group = old.get_model("wgec", "StakeholderGroup").objects.create(slug="gov", name="Gov")
        participant = old.get_model("wgec", "Participant").objects.create(
            name="Benedicto Fonseca", stakeholder_group=group
        )
        issue = old.get_model("issues", "Issue").objects.create(title="Spam", state="proposed")
        mechanism = old.get_model("mechanisms", "Mechanism").objects.create(name="ITU")
        coverage = old.get_model("mechanisms", "Coverage").objects.create(
            issue=issue, mechanism=mechanism, status="partly"
        )
        item = old.get_model("issues", "ConsensusItem").objects.create(
            coverage=coverage, summary="Whether ITU partly addresses spam"
        )
        option = old.get_model("issues", "Option").objects.create(item=item, label="A", text="Yes")
        old.get_model("issues", "OptionSupport").objects.create(
            item=item, option=option, participant=participant
        )
        proposal = old.get_model("issues", "Proposal").objects.create(
            kind="gap", issue=issue, gap_type="policy", justification="No forum.",
            proposer=participant,
        )  # fmt: skip
        old.get_model("issues", "HistoricalProposal").objects.create(
            id=proposal.pk, kind="gap", issue_id=issue.pk, justification="No forum.",
            proposer_id=participant.pk, state="pending", baseline={},
            created_at=proposal.created_at, updated_at=proposal.updated_at,
            history_date=proposal.created_at, history_type="+",
        )  # fmt: skip
        old.get_model("issues", "MapImport").objects.create(filename="map.xlsx", content=b"PK")
        content_types = old.get_model("contenttypes", "ContentType").objects
        proposal_type = content_types.get(app_label="issues", model="proposal")
        permission = old.get_model("auth", "Permission").objects.get(
            content_type=proposal_type, codename="change_proposal"
        )
        secretariat = old.get_model("auth", "Group").objects.create(name="Old secretariat")
        secretariat.permissions.add(permission)
        old.get_model("admin", "LogEntry").objects.create(
            user=user, content_type=content_types.get(app_label="issues", model="consensusitem"),
            object_id=str(item.pk), object_repr="Whether ITU partly addresses spam",
            action_flag=2, change_message="[]",
        )  # fmt: skip
        # A migrate ran in between and created the new room's content type of proposals, with a
        # permission of its own: the holders of the old and the new one end up holding one.
        new_type = content_types.create(app_label="consensus", model="proposal")
        twin = old.get_model("auth", "Permission").objects.create(
            content_type=new_type, codename="change_proposal", name="Can change proposal"
        )
        old.get_model("auth", "Group").objects.create(name="New secretariat").permissions.add(twin)
    finally:
        _migrate(_leaves())
        # As migrate's post_migrate does: the map version's triggers were dropped going back.
        triggers_install(MAP_VERSION_TRIGGERS)

    assert Proposal.objects.get().justification == "No forum."
    assert Proposal.history.get().history_type == "+"
    item = ConsensusItem.objects.get()
    assert item.coverage.mechanism.name == "ITU"
    assert OptionSupport.objects.get().option == Option.objects.get(item=item)
    assert MapImport.objects.get().filename == "map.xlsx"
    held = Permission.objects.get(codename="change_proposal")
    assert (held.content_type.app_label, held.content_type.model) == ("consensus", "proposal")
    holders = set(held.group_set.values_list("name", flat=True))
    assert {"Old secretariat", "New secretariat"} <= holders
    assert not ContentType.objects.filter(app_label="issues", model__in=MOVED_MODELS).exists()
    assert LogEntry.objects.get().content_type.app_label == "consensus"
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"consensus_proposal", "consensus_historicalproposal", "mechanisms_mapimport"} <= tables
    assert not {"issues_proposal", "issues_mapimport"} & tables

    triggers_install(CONSENSUS_TRIGGERS)  # as migrate's post_migrate does
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            item=item, text="Adopted.", meeting=meeting, decided_on=date(2014, 2, 26)
        )


MOVED_MODELS = [
    *(name for base in ("consensusitem", "option", "optionsupport", "decision", "proposal")
      for name in (base, f"historical{base}")),
    "mapimport",
]  # fmt: skip
