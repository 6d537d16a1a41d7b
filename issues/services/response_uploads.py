"""Responses files uploaded in the admin, off the request path: the request only stores the file
(media storage, so that any app server or worker reaches it); a worker reads it within the import
limits, checks every row and stores the preview, reporting its progress as it goes; once the
secretariat confirms the preview, another task imports the file, unless the responses changed in
between (then the new preview is stored for the secretariat to confirm again).

The tasks (django.tasks, run by ``manage.py db_worker``) are defined beside the services that
enqueue them and those they run."""

import logging
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from issues.models import ResponsesImport
from issues.responses.plan import CREATE, UNCHANGED, ResponsesPlan, responses_plan, responses_read
from issues.services.responses import responses_import_file
from wgec.documents.spreadsheets import SpreadsheetError, check_size

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 2000
PREVIEW_ERRORS = 500


@transaction.atomic
def responses_upload(*, file: File, filename: str, date_order: str = "", user) -> ResponsesImport:
    """Keep an uploaded responses file and have a worker read it."""
    suffix = PurePath(filename).suffix.lower()[:8]
    upload = ResponsesImport(filename=filename[:255], date_order=date_order, uploaded_by=user)
    upload.file.save(f"{uuid.uuid4().hex}{suffix}", file, save=False)
    upload.save()
    upload.task_enqueued(responses_prepare_task.enqueue(import_id=upload.pk))
    return upload


def _stored_bytes(upload: ResponsesImport) -> bytes:
    check_size(upload.file.size, upload.filename)
    with upload.file.open("rb") as handle:
        return handle.read()


def _progress(upload: ResponsesImport, done: int, total: int = 0) -> None:
    ResponsesImport.objects.filter(pk=upload.pk).update(progress=done, progress_total=total)


def _preview(plan: ResponsesPlan, *, stale: bool = False) -> dict:
    changed = [row for row in plan.rows if row.action != UNCHANGED]
    return {
        "summary": plan.summary(),
        "counts": dict(plan.counts),
        "rows": [
            {
                "number": row.number,
                "action": row.action,
                "label": row.label,
                "id": row.respondent.pk,
                "cited": row.respondent.consent_to_cite,
                "where": (
                    f"{row.respondent.stakeholder_group.name}, "
                    f"{row.respondent.country.name or 'no country'}; "
                    if row.action == CREATE
                    else ""
                ),
                "summary": row.summary(),
            }
            for row in changed[:PREVIEW_ROWS]
        ],
        "row_total": len(changed),
        "removals": [
            {"number": row.number, "label": row.label, "code": change.code, "old": change.old}
            for row, change in plan.removals()[:PREVIEW_ROWS]
        ],
        "removal_total": len(plan.removals()),
        "errors": [
            {
                "row": error.row,
                "column": error.column,
                "message": error.message,
                "text": str(error),
            }
            for error in plan.errors[:PREVIEW_ERRORS]
        ],
        "error_total": len(plan.errors),
        "digest": plan.digest(),
        "stale": stale,
    }


def responses_prepare(*, upload: ResponsesImport) -> ResponsesImport:
    """Read the stored file and store what importing it would do (run by a worker)."""
    try:
        sheet = responses_read(
            _stored_bytes(upload), upload.filename, progress=lambda done: _progress(upload, done)
        )
    except SpreadsheetError as error:
        plan = ResponsesPlan(errors=[error])
    else:
        _progress(upload, 0, sheet.row_count)
        plan = responses_plan(sheet, order=upload.date_order or None)
    upload.preview = _preview(plan)
    upload.state = ResponsesImport.State.INVALID if plan.errors else ResponsesImport.State.READY
    upload.progress = upload.progress_total = len(plan.rows)
    upload.save(update_fields=["preview", "state", "progress", "progress_total"])
    return upload


@transaction.atomic
def responses_confirm(*, upload: ResponsesImport, digest: str, user) -> ResponsesImport:
    """The secretariat confirms the preview it saw; a worker imports the file."""
    upload = ResponsesImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != ResponsesImport.State.READY:
        raise ValidationError(f"This import is {upload.get_state_display().lower()}.")
    upload.state = ResponsesImport.State.APPLYING
    upload.applied_by = user
    upload.save(update_fields=["state", "applied_by"])
    upload.task_enqueued(responses_apply_task.enqueue(import_id=upload.pk, digest=digest))
    return upload


def responses_run(*, upload: ResponsesImport, digest: str) -> ResponsesImport:
    """Import a confirmed file, unless the responses changed since its preview (run by a
    worker); if they did, the new preview is stored for the secretariat to confirm again."""
    upload = ResponsesImport.objects.get(pk=upload.pk)
    if upload.state != ResponsesImport.State.APPLYING:
        return upload
    data = _stored_bytes(upload)
    order = upload.date_order or None
    plan = responses_import_file(
        data=data, filename=upload.filename, previewed=digest, user=upload.applied_by, order=order
    )
    if plan.errors:
        fresh = responses_import_file(
            data=data, filename=upload.filename, dry_run=True, order=order
        )
        upload.preview = _preview(fresh, stale=True)
        upload.state = (
            ResponsesImport.State.INVALID if fresh.errors else ResponsesImport.State.READY
        )
        upload.save(update_fields=["preview", "state"])
        return upload
    upload.preview = {**upload.preview, "result": plan.summary()}
    upload.state = ResponsesImport.State.APPLIED
    upload.applied_at = timezone.now()
    upload.file.delete(save=False)  # imported: the file is no longer needed
    upload.save(update_fields=["preview", "state", "applied_at", "file"])
    return upload


def responses_import_fail(*, upload: ResponsesImport, error: str) -> None:
    ResponsesImport.objects.filter(pk=upload.pk).update(
        state=ResponsesImport.State.FAILED, error=error
    )


@task()
def responses_prepare_task(import_id: int) -> None:
    upload = ResponsesImport.objects.get(pk=import_id)
    try:
        responses_prepare(upload=upload)
    except Exception as error:
        logger.exception("Reading responses import %s failed", import_id)
        responses_import_fail(upload=upload, error=f"The file could not be read: {error}")
        raise


@task()
def responses_apply_task(import_id: int, digest: str) -> None:
    upload = ResponsesImport.objects.get(pk=import_id)
    try:
        responses_run(upload=upload, digest=digest)
    except Exception as error:
        logger.exception("Importing responses import %s failed", import_id)
        responses_import_fail(
            upload=upload, error=f"The import failed and nothing was written: {error}"
        )
        raise


def responses_imports_purge(*, before) -> tuple[int, int]:
    """Delete the stored files and previews of responses imports uploaded before ``before``
    (those a worker is not on); an unconfirmed import expires. The record of who imported what
    stays. Returns (files deleted, previews deleted)."""
    files = previews = 0
    stale = ResponsesImport.objects.filter(uploaded_at__lt=before).exclude(
        state__in=[ResponsesImport.State.READING, ResponsesImport.State.APPLYING]
    )
    for upload in stale.exclude(file="").iterator():
        upload.file.delete(save=False)
        ResponsesImport.objects.filter(pk=upload.pk).update(file="")
        files += 1
    for upload in stale.exclude(preview={}).iterator():
        result = upload.preview.get("result")
        kept = {"result": result} if result else {}
        if upload.preview == kept:
            continue  # only what an imported file did is kept
        upload.preview = kept
        if upload.state in (ResponsesImport.State.READY, ResponsesImport.State.INVALID):
            upload.state = ResponsesImport.State.EXPIRED
        previews += 1
        upload.save(update_fields=["preview", "state"])
    return files, previews
