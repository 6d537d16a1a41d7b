"""Background work of the issues app, run by the task worker (``manage.py db_worker``)."""

import logging

from django.tasks import task

from issues.models import MapImport
from issues.services.map_workbook import map_import_fail, map_import_prepare, map_import_run

logger = logging.getLogger(__name__)


@task()
def map_import_prepare_task(import_id: int) -> None:
    upload = MapImport.objects.get(pk=import_id)
    try:
        map_import_prepare(upload=upload)
    except Exception as error:
        logger.exception("Reading map import %s failed", import_id)
        map_import_fail(upload=upload, error=f"The file could not be read: {error}")
        raise


@task()
def map_import_apply_task(import_id: int, fingerprint: str) -> None:
    upload = MapImport.objects.get(pk=import_id)
    try:
        map_import_run(upload=upload, fingerprint=fingerprint)
    except Exception as error:
        logger.exception("Applying map import %s failed", import_id)
        map_import_fail(upload=upload, error=f"The import failed and nothing was written: {error}")
        raise
