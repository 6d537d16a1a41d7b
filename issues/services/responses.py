"""Importing questionnaire responses (the rules: ``issues/responses/__init__.py``): every row of
a file, or, on any error or on a dry run, nothing. The admin import, ``manage.py
import_responses`` and the background task call ``responses_import``."""

import itertools

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from issues.models import Answer, Respondent
from issues.responses.plan import (
    ADDED,
    BATCH,
    CONSENT,
    CREATE,
    REMOVED,
    UNCHANGED,
    UPDATE,
    ResponsesPlan,
    responses_plan,
    responses_read,
)
from issues.services.compilations import compilations_discard
from wgec.documents.spreadsheets import Sheet, SpreadsheetError


def responses_import(
    *,
    sheet: Sheet,
    dry_run: bool = False,
    user=None,
    previewed: str | None = None,
    order: str | None = None,
) -> ResponsesPlan:
    """Import a responses sheet: every row, or (on any error, or a dry run) nothing.

    Returns the plan; ``plan.errors`` lists every problem, each naming its row and column, and
    ``plan.written`` tells whether the database was changed. With ``previewed`` (the digest of
    a plan shown to the user), nothing is written unless the plan is still the same. ``order``
    (``dmy`` or ``mdy``) says how to read dates that fit both orders.
    """
    plan = responses_plan(sheet, order=order)
    if previewed and not plan.errors and plan.digest() != previewed:
        plan.errors.append(
            SpreadsheetError(
                "the responses were changed by someone else since the preview, so the file "
                "would no longer do what the preview showed; nothing was written. Upload the "
                "file again to see the new preview."
            )
        )
    if plan.errors or dry_run or not any(row.action != UNCHANGED for row in plan.rows):
        return plan
    try:
        _apply(plan, sheet, user=user)
    except IntegrityError:
        # Another import or an edit in the admin changed the same respondents meanwhile.
        plan.errors.append(
            SpreadsheetError(
                "the responses changed while the file was being imported; nothing was written. "
                "Import the file again."
            )
        )
        return plan
    plan.written = True
    return plan


@transaction.atomic
def _apply(plan: ResponsesPlan, sheet: Sheet, *, user) -> None:
    now = timezone.now()
    history = {"default_user": user, "default_date": now, "batch_size": BATCH}
    withdrawn = any(
        row.action == UPDATE
        and not row.respondent.consent_to_cite
        and any(change.column == CONSENT for change in row.fields)
        for row in plan.rows
    )
    if withdrawn:
        # The kept compilations may hold their answers: they go once the import is in.
        transaction.on_commit(compilations_discard)
    created = [row.respondent for row in plan.rows if row.action == CREATE]
    updated = [row.respondent for row in plan.rows if row.action == UPDATE and row.fields]
    if created:
        bulk_create_with_history(created, Respondent, **history)
    if updated:
        fields = ["name", "organisation", "country", "stakeholder_group", "submitted_at"]
        bulk_update_with_history(
            updated,
            Respondent,
            fields=[*fields, "consent_to_cite", "language", "illustrative"],
            **history,
        )
    # The answers' texts are read again from the sheet and written a batch of rows at a time,
    # so that the answers of 7,000 respondents (126,000, and as many history records) are never
    # all held at once, as text or as model instances. Each row of the sheet has its plan (a
    # plan with an error is not written), in the same order.
    question_ids = {question.code: question.pk for question in plan.questions}
    removed_answers: list[Answer] = []
    planned = iter(plan.rows)
    for rows in itertools.batched(sheet.iter_rows(), BATCH, strict=False):
        new_answers: list[Answer] = []
        changed_answers: list[Answer] = []
        for sheet_row in rows:
            row = next(planned)
            if row.number != sheet_row.number:
                raise RuntimeError(f"row {sheet_row.number} of the sheet has no plan")
            for change in row.answers:
                answer = Answer(
                    pk=change.answer_id,
                    respondent=row.respondent,
                    question_id=question_ids[change.code],
                    text=change.old if change.kind == REMOVED else sheet_row.text(change.code),
                )
                if change.kind == ADDED:
                    new_answers.append(answer)
                else:
                    (removed_answers if change.kind == REMOVED else changed_answers).append(answer)
        if new_answers:
            bulk_create_with_history(new_answers, Answer, **history)
        if changed_answers:
            bulk_update_with_history(changed_answers, Answer, fields=["text"], **history)
    for answer in removed_answers:
        # One by one, so that the change history records each removal and who made it.
        answer._history_user = user
        answer.delete()


def responses_import_file(
    *,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    user=None,
    previewed: str | None = None,
    order: str | None = None,
) -> ResponsesPlan:
    """Read a file (within the import limits) and import it; an unreadable file is an error of
    the plan."""
    try:
        sheet = responses_read(data, filename)
    except SpreadsheetError as error:
        return ResponsesPlan(errors=[error])
    return responses_import(
        sheet=sheet, dry_run=dry_run, user=user, previewed=previewed, order=order
    )
