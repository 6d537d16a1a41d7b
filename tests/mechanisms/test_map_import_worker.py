"""The map import in the admin is read by a worker from media storage, and its page follows the
worker's progress with a static script (issue 11, item 3)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from issues.models import Issue
from mechanisms.map_workbook.imports import map_import_prepare_task
from mechanisms.models import MapImport
from tests.mechanisms.map_dataset import build_map_dataset

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def test_upload_is_kept_in_media_storage_and_its_page_follows_the_worker(
    secretariat_client, settings, tmp_path
):
    build_map_dataset()
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page = secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {
            "files": SimpleUploadedFile(
                "map.xlsx", (FILES / "map-libreoffice-edited.xlsx").read_bytes()
            )
        },
        follow=True,
    )
    upload = MapImport.objects.get()
    assert upload.state == "reading"
    assert upload.file.name.startswith("imports/map/") and (tmp_path / upload.file.name).exists()
    assert bytes(upload.content) == b""  # not in the database any more
    text = page.content.decode()
    assert "<progress" in text and "js/import_progress.js" in text
    assert 'http-equiv="refresh"' not in text and "<script>" not in text
    status = reverse("admin:issues_issue_map_import_status", args=[upload.pk])
    assert secretariat_client.get(status).json()["working"] is True
    queued = DBTaskResult.objects.get()
    map_import_prepare_task.call(**queued.args_kwargs["kwargs"])
    assert secretariat_client.get(status).json() == {
        "state": "ready",
        "label": "Ready to apply",
        "working": False,
        "done": 0,
        "total": 0,
        "progress_text": "",
        "waiting_for_worker": False,
    }
    assert (
        "Apply these changes" in secretariat_client.get(page.request["PATH_INFO"]).content.decode()
    )


def test_the_status_is_for_the_secretariat_only(client, secretariat_user):
    upload = MapImport.objects.create(filename="map.xlsx", uploaded_by=secretariat_user)
    response = client.get(reverse("admin:issues_issue_map_import_status", args=[upload.pk]))
    assert response.status_code == 302  # to the login page


def test_map_import_pages_keep_a_query_budget(secretariat_client, django_assert_max_num_queries):
    build_map_dataset()
    page = secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {
            "files": SimpleUploadedFile(
                "map.xlsx", (FILES / "map-libreoffice-edited.xlsx").read_bytes()
            )
        },
        follow=True,
    )
    upload = MapImport.objects.get()
    with django_assert_max_num_queries(8):
        secretariat_client.get(page.request["PATH_INFO"])
    with django_assert_max_num_queries(6):
        secretariat_client.get(reverse("admin:issues_issue_map_import_status", args=[upload.pk]))


def test_import_command_in_background_leaves_the_files_to_a_worker(settings):
    build_map_dataset()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    out = io.StringIO()
    call_command(
        "import_map", str(FILES / "map-libreoffice-edited.xlsx"), "--in-background", stdout=out
    )
    upload = MapImport.objects.get()
    assert (
        out.getvalue()
        .strip()
        .endswith(reverse("admin:issues_issue_map_import_preview", args=[upload.pk]))
    )
    assert upload.state == "reading" and Issue.objects.get(pk=9102).title == "Spam"
    queued = DBTaskResult.objects.get()
    map_import_prepare_task.call(**queued.args_kwargs["kwargs"])
    upload.refresh_from_db()
    assert upload.state == "ready"
