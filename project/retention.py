"""Retention of imports: the files uploaded for an import and their previews are kept for a day
(settings ``IMPORT_KEEP_HOURS``), then deleted by ``imports_purge`` — run by ``manage.py
purge_imports`` (cron, hourly) or by its task on a worker. Files left in media storage under
``imports/`` that no import refers to any more (a crash between storing and recording) go too."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.tasks import task
from django.utils import timezone

from issues.models import ResponsesImport
from issues.services.response_uploads import responses_imports_purge
from mechanisms.map_workbook.imports import map_imports_purge
from mechanisms.models import MapImport

FOLDERS = ["imports/responses", "imports/map", "imports"]


def imports_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete import files and previews older than ``IMPORT_KEEP_HOURS``; returns the counts."""
    before = (now or timezone.now()) - datetime.timedelta(hours=settings.IMPORT_KEEP_HOURS)
    responses_files, responses_previews = responses_imports_purge(before=before)
    map_files, map_previews = map_imports_purge(before=before)
    return {
        "files": responses_files + map_files + _orphans_purge(before),
        "previews": responses_previews + map_previews,
    }


def _orphans_purge(before: datetime.datetime) -> int:
    kept = set(ResponsesImport.objects.exclude(file="").values_list("file", flat=True))
    kept |= set(MapImport.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for folder in FOLDERS:
        # Listed rather than asked for: object storage (S3) has no folders that "exist".
        try:
            _, names = default_storage.listdir(folder)
        except FileNotFoundError:  # a local media folder no import has written to yet
            continue
        for name in names:
            path = f"{folder}/{name}"
            if path in kept or default_storage.get_modified_time(path) >= before:
                continue
            default_storage.delete(path)
            deleted += 1
    return deleted


@task()
def imports_purge_task() -> dict[str, int]:
    return imports_purge()
