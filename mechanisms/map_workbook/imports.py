"""Importing the map workbook: plan every change, show it, then apply all of it or nothing.

``map_import_plan`` reads the sheets present (Issues, Mechanisms, Coverage; from one XLSX file
or one CSV file per table) and compares them with the database without writing anything. It
collects every error, each naming its sheet, row and column. ``map_import_apply`` writes a plan
that has no errors in one transaction; each created, changed or removed record is recorded in
the change history under the importing user.

Rules (README, "The map workbook"):
- A row with an ID updates that record; a row without one creates a record. An unknown ID, a
  new row whose title or name already exists, or an ID given twice is an error.
- Issues and mechanisms missing from a sheet are left alone. The Coverage sheet lists all
  coverage: a pair missing from it is removed (the preview lists each removal).
- Merging is done with the admin's Merge action (it moves sources, coverage and gaps): State and
  Merged into of a merged issue stay as exported. An issue added after the second meeting goes
  on the map only once the working group's agreement is recorded in the admin.
- Texts compare without surrounding spaces and with either line ending, so that a round trip
  through a spreadsheet program changes nothing.

Through the admin, an uploaded workbook is kept in media storage (``MapImport``), read by a
background task that stores what importing it would do, and applied by another once the
secretariat confirms that preview, unless the map changed in between.
"""

import io
import logging
import uuid
import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from issues.models import Issue
from mechanisms.map_workbook.columns import COVERAGE, ISSUES, MECHANISMS
from mechanisms.map_workbook.coverage_sheet import CoverageSheet
from mechanisms.map_workbook.issue_sheet import IssueSheet
from mechanisms.map_workbook.mechanism_sheet import MechanismSheet
from mechanisms.map_workbook.reading import MapImportPlan, identify_tables
from mechanisms.map_workbook.staleness import check_edited_since, exported_at
from mechanisms.models import Coverage, Gap, MapImport, Mechanism
from wgec.documents.spreadsheets import Progress, Sheet, SpreadsheetError, read_workbook
from wgec.languages import english

logger = logging.getLogger(__name__)

BATCH = 1000
ANALYZE_AFTER = 5000  # changes


@english
def map_import_plan(
    files: Iterable[tuple[str, bytes]], progress: Progress | None = None
) -> MapImportPlan:
    """Read the files (name, content) within the import limits (settings ``IMPORT_MAX_*``: a
    sheet of more rows than ``IMPORT_MAX_ROWS`` is refused, however many issues it would
    create) and plan the import; writes nothing."""
    files = list(files)
    plan = MapImportPlan(sources=[name for name, _ in files])
    sheets = _read(files, plan, progress)
    if plan.errors:
        return plan
    tables, errors = identify_tables(sheets)
    plan.errors.extend(errors)
    try:
        since = exported_at(sheets)
    except SpreadsheetError as error:
        plan.errors.append(error)
    del sheets  # from here each table is dropped once planned, and what the reader holds of it
    if plan.errors:
        return plan
    plan.sheets = [name for name in (ISSUES, MECHANISMS, COVERAGE) if name in tables]
    if MECHANISMS in tables:
        MechanismSheet(plan).plan_rows(tables.pop(MECHANISMS))
    if ISSUES in tables:
        IssueSheet(plan).plan_rows(tables.pop(ISSUES))
    if COVERAGE in tables:
        CoverageSheet(plan).plan_rows(tables.pop(COVERAGE))
    if since is not None:
        check_edited_since(plan, since)
    return plan


def _read(
    files: list[tuple[str, bytes]], plan: MapImportPlan, progress: Progress | None
) -> dict[str, Sheet]:
    """Every sheet of the files, by file and sheet name; each file that cannot be read is an
    error of the plan. Every row is checked, but none kept: each sheet's rows are read again one
    at a time as it is planned (at 100x the Coverage sheet alone has 200,000)."""
    sheets: dict[str, Sheet] = {}
    for name, content in files:
        try:
            for sheet_name, sheet in read_workbook(
                content, name, progress=progress, keep_rows=False
            ).items():
                sheets[f"{name}:{sheet_name}"] = sheet
        except SpreadsheetError as error:
            plan.errors.append(error)
    return sheets


@transaction.atomic
def map_import_apply(plan: MapImportPlan, *, user=None, reason: str = "map import") -> None:
    """Write a planned import (all of it, in one transaction)."""
    if plan.errors:
        raise ValueError("A plan with errors cannot be applied.")
    who = user if user is not None and user.is_authenticated else None
    history = {"default_user": who, "default_change_reason": reason, "batch_size": BATCH}
    now = timezone.now()
    if plan.mechanisms_new:
        bulk_create_with_history(plan.mechanisms_new, Mechanism, **history)
    for fields, mechanisms in plan.mechanisms_changed.items():
        bulk_update_with_history(mechanisms, Mechanism, fields.split(","), **history)
    if plan.issues_new:
        issues = [issue for issue, _ in plan.issues_new]
        for issue in issues:
            issue.created_at = issue.updated_at = now
        created = bulk_create_with_history(issues, Issue, **history)
        for issue, (_, gaps) in zip(created, plan.issues_new, strict=True):
            for gap in gaps:
                gap.issue_id = issue.pk
                plan.gaps_new.append(gap)
    for fields, issues in plan.issues_changed.items():
        for issue in issues:
            issue.updated_at = now
        bulk_update_with_history(issues, Issue, [*fields.split(","), "updated_at"], **history)
    _delete_with_history(Gap, plan.gaps_deleted, who, reason)
    if plan.gaps_new:
        bulk_create_with_history(plan.gaps_new, Gap, **history)
    if plan.gaps_changed:
        bulk_update_with_history(
            plan.gaps_changed, Gap, ["description", "recommendation"], **history
        )
    _delete_with_history(Coverage, plan.coverage_deleted, who, reason)
    if plan.coverage_new:
        bulk_create_with_history(plan.coverage_new, Coverage, **history)
    if plan.coverage_changed:
        bulk_update_with_history(plan.coverage_changed, Coverage, ["status", "evidence"], **history)
    if len(plan.changes) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh statistics at once, not when autovacuum comes round: the pages' plans depend on
        # them (a large first import would otherwise be read with the plans of an empty map).
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE issues_issue, mechanisms_mechanism, mechanisms_coverage, mechanisms_gap"
            )


def _delete_with_history(model, pks: list[int], user, reason: str) -> None:
    for start in range(0, len(pks), BATCH):
        for instance in model.objects.filter(pk__in=pks[start : start + BATCH]):
            instance._history_user = user
            instance._change_reason = reason
            instance.delete()


# Imports through the admin: read and applied by background tasks ------------------------------

PREVIEW_CHANGES = 2000
PREVIEW_ERRORS = 500


def _pack(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def map_import_files(upload: MapImport) -> list[tuple[str, bytes]]:
    if upload.file:
        with upload.file.open("rb") as handle:
            packed = handle.read()
    else:
        packed = bytes(upload.content)
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _preview(plan: MapImportPlan, *, stale: bool = False) -> dict:
    return {
        "counts": plan.counts(),
        "changes": [
            {
                "sheet": change.sheet,
                "row": change.row,
                "subject": change.subject,
                "action": change.action,
                "changes": [list(triple) for triple in change.changes],
            }
            for change in plan.changes[:PREVIEW_CHANGES]
        ],
        "change_total": len(plan.changes),
        "errors": [str(error) for error in plan.errors[:PREVIEW_ERRORS]],
        "error_total": len(plan.errors),
        "fingerprint": plan.fingerprint(),
        "stale": stale,
    }


@transaction.atomic
def map_import_upload(*, files: list[tuple[str, bytes]], user) -> MapImport:
    """Keep an uploaded workbook and have a worker read it."""
    upload = MapImport(filename=", ".join(name for name, _ in files)[:255], uploaded_by=user)
    upload.file.save(f"{uuid.uuid4().hex}.zip", ContentFile(_pack(files)), save=False)
    upload.save()
    upload.task_enqueued(map_import_prepare_task.enqueue(import_id=upload.pk))
    return upload


def map_import_prepare(*, upload: MapImport) -> MapImport:
    """Read the workbook and store what importing it would do (run by a worker)."""

    def progress(done: int) -> None:
        MapImport.objects.filter(pk=upload.pk).update(progress=done)

    plan = map_import_plan(map_import_files(upload), progress=progress)
    upload.preview = _preview(plan)
    upload.state = MapImport.State.READY if plan.ok else MapImport.State.INVALID
    upload.save(update_fields=["preview", "state"])
    return upload


@transaction.atomic
def map_import_confirm(*, upload: MapImport, fingerprint: str, user) -> MapImport:
    """The secretariat confirms the preview it saw; a worker applies it."""
    upload = MapImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != MapImport.State.READY:
        raise ValidationError(f"This import is {upload.get_state_display().lower()}.")
    upload.state = MapImport.State.APPLYING
    upload.applied_by = user
    upload.save(update_fields=["state", "applied_by"])
    upload.task_enqueued(
        map_import_apply_task.enqueue(import_id=upload.pk, fingerprint=fingerprint)
    )
    return upload


@transaction.atomic
def map_import_run(*, upload: MapImport, fingerprint: str) -> MapImport:
    """Apply a confirmed import, unless the map changed since the preview (run by a worker).

    If it changed, the new preview is stored for the secretariat to confirm again.
    """
    upload = MapImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != MapImport.State.APPLYING:
        return upload
    plan = map_import_plan(map_import_files(upload))
    if not plan.ok or plan.fingerprint() != fingerprint:
        upload.preview = _preview(plan, stale=True)
        upload.state = MapImport.State.READY if plan.ok else MapImport.State.INVALID
        upload.save(update_fields=["preview", "state"])
        return upload
    map_import_apply(plan, user=upload.applied_by, reason=f"map import of {upload.filename}")
    upload.state = MapImport.State.APPLIED
    upload.applied_at = timezone.now()
    if upload.file:
        # Imported: the file is no longer needed (removed once the transaction commits).
        name, storage = upload.file.name, upload.file.storage
        transaction.on_commit(lambda: storage.delete(name))
        upload.file = ""
    upload.save(update_fields=["state", "applied_at", "file"])
    return upload


def map_import_fail(*, upload: MapImport, error: str) -> None:
    MapImport.objects.filter(pk=upload.pk).update(state=MapImport.State.FAILED, error=error)


# The background tasks (django.tasks, run by ``manage.py db_worker``). They are defined beside the
# services that enqueue them and those they run, so that neither has to import the other late.


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


def map_imports_purge(*, before) -> tuple[int, int]:
    """Delete the stored files and previews of map imports uploaded before ``before`` (those a
    worker is not on); an unconfirmed import expires. The record of who imported what stays.
    Returns (files deleted, previews deleted)."""
    files = previews = 0
    stale = MapImport.objects.filter(uploaded_at__lt=before).exclude(
        state__in=[MapImport.State.READING, MapImport.State.APPLYING]
    )
    for upload in stale.exclude(file="").defer("content").iterator():
        upload.file.delete(save=False)
        MapImport.objects.filter(pk=upload.pk).update(file="")
        files += 1
    files += stale.exclude(content=b"").update(content=b"")
    for upload in stale.exclude(preview={}).defer("content").iterator():
        upload.preview = {}
        if upload.state in (MapImport.State.READY, MapImport.State.INVALID):
            upload.state = MapImport.State.EXPIRED
        previews += 1
        upload.save(update_fields=["preview", "state"])
    return files, previews
