"""Import files and previews older than a day are deleted by ``purge_imports`` (issue 11, item
10): the record of who imported what stays, an unconfirmed import expires, and files that no
import refers to go too."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from issues.models import ResponsesImport
from mechanisms.models import MapImport
from project.retention import imports_purge_task

pytestmark = pytest.mark.django_db


def _responses_import(user, *, hours_ago: int, state: str, preview: dict) -> ResponsesImport:
    upload = ResponsesImport(filename="r.csv", uploaded_by=user, state=state, preview=preview)
    upload.file.save("r.csv", ContentFile(b"Name\r\nA\r\n"), save=False)
    upload.save()
    ResponsesImport.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    return upload


def _map_import(user, *, hours_ago: int, state: str) -> MapImport:
    upload = MapImport(filename="map.xlsx", uploaded_by=user, state=state, preview={"counts": {}})
    upload.file.save("map.zip", ContentFile(b"PK"), save=False)
    upload.save()
    MapImport.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    return upload


def test_files_and_previews_older_than_a_day_are_deleted_and_the_records_kept(secretariat_user):
    old_ready = _responses_import(
        secretariat_user, hours_ago=30, state="ready", preview={"rows": [1], "digest": "x"}
    )
    old_applied = _responses_import(
        secretariat_user,
        hours_ago=30,
        state="applied",
        preview={"rows": [1], "result": "1 created"},
    )
    fresh = _responses_import(secretariat_user, hours_ago=2, state="ready", preview={"rows": [1]})
    working = _responses_import(secretariat_user, hours_ago=30, state="reading", preview={})
    old_map = _map_import(secretariat_user, hours_ago=25, state="invalid")
    fresh_map = _map_import(secretariat_user, hours_ago=1, state="ready")
    orphan = default_storage.save("imports/responses/orphan.csv", ContentFile(b"x"))
    long_ago = (timezone.now() - datetime.timedelta(days=3)).timestamp()
    os.utime(default_storage.path(orphan), (long_ago, long_ago))
    paths = {
        "old_ready": old_ready.file.name,
        "old_applied": old_applied.file.name,
        "fresh": fresh.file.name,
        "working": working.file.name,
        "old_map": old_map.file.name,
        "fresh_map": fresh_map.file.name,
    }

    out = io.StringIO()
    call_command("purge_imports", stdout=out)

    assert out.getvalue() == (
        "Deleted 4 stored files and 3 previews of imports older than 24 hours.\n"
    )
    exists = {key: default_storage.exists(path) for key, path in paths.items()}
    assert exists == {
        "old_ready": False,
        "old_applied": False,
        "fresh": True,
        "working": True,  # a worker is on it
        "old_map": False,
        "fresh_map": True,
    }
    assert not default_storage.exists(orphan)
    old_ready.refresh_from_db()
    assert (old_ready.state, old_ready.preview, old_ready.file.name) == ("expired", {}, "")
    old_applied.refresh_from_db()
    assert (old_applied.state, old_applied.preview) == ("applied", {"result": "1 created"})
    old_map.refresh_from_db()
    assert (old_map.state, old_map.preview) == ("expired", {})
    fresh.refresh_from_db()
    assert fresh.preview == {"rows": [1]}
    # A second run finds nothing more.
    out = io.StringIO()
    call_command("purge_imports", stdout=out)
    assert out.getvalue().startswith("Deleted 0 stored files and 0 previews")


def test_the_purge_runs_as_a_task_on_a_worker(secretariat_user, settings):
    settings.IMPORT_KEEP_HOURS = 1
    upload = _responses_import(secretariat_user, hours_ago=2, state="invalid", preview={"e": 1})
    assert imports_purge_task.call() == {"files": 1, "previews": 1}
    upload.refresh_from_db()
    assert upload.state == "expired"
    out = io.StringIO()
    call_command("purge_imports", "--in-background", stdout=out)
    assert out.getvalue().startswith("Queued for a worker")


def test_the_expired_import_page_says_so(secretariat_client, secretariat_user):
    upload = _responses_import(secretariat_user, hours_ago=30, state="ready", preview={"rows": []})
    call_command("purge_imports", stdout=io.StringIO())
    page = secretariat_client.get(
        reverse("admin:issues_respondent_import_preview", args=[upload.pk])
    )
    assert "was not confirmed within a day: its file and preview were deleted" in (
        page.content.decode()
    )
