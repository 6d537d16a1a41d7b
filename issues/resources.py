"""The admin import of responses (django-import-export: upload, preview, confirm).

django-import-export provides the screens, the permission check and the temporary storage of
the uploaded file between preview and confirm. Reading, checking and writing are those of
``issues.responses`` and ``issues.services.responses``, the same as ``manage.py import_responses``:

- ``ResponsesFormat`` reads the upload with ``wgec.documents.spreadsheets`` (CSV or XLSX as
  spreadsheet programs write them), not with tablib;
- ``ResponsesResource.import_data`` runs ``responses_import`` (a dry run for the preview) and
  reports its plan as an import-export ``Result``: one row per respondent, or every error as an
  invalid row naming its column.

The preview writes nothing, so confirming applies the file exactly once; the confirm step reads
the file again and checks it against the database as it is then.
"""

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.formats.base_formats import Format
from import_export.results import Error, InvalidRow, Result, RowResult

from issues.models import Question
from issues.responses.plan import CREATE, RESPONDENT_COLUMNS, UPDATE, ResponsesPlan, responses_read
from issues.services.responses import responses_import
from wgec.documents.spreadsheets import Row, Sheet, normalise_header

IMPORT_TYPES = {CREATE: RowResult.IMPORT_TYPE_NEW, UPDATE: RowResult.IMPORT_TYPE_UPDATE}


class SheetDataset(tablib.Dataset):
    """A tablib dataset that keeps the sheet it was read from (with spreadsheet row numbers)."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(headers=sheet.headers)
        self.sheet = sheet
        width = len(sheet.headers)
        for row in sheet.rows:
            values = list(row.values.values())[:width]
            self.append(values + [""] * (width - len(values)))


class ResponsesFormat(Format):
    """A CSV or XLSX file of responses; the content tells which."""

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = encoding

    def get_title(self) -> str:
        return "CSV or XLSX"

    def create_dataset(self, in_stream: bytes) -> SheetDataset:
        return SheetDataset(responses_read(in_stream, "upload"))

    def can_import(self) -> bool:
        return True


def _sheet_of(dataset: tablib.Dataset) -> Sheet:
    if isinstance(dataset, SheetDataset):
        return dataset.sheet
    # A plain dataset (built in code): header is row 1, data rows follow.
    keys = [normalise_header(header) for header in dataset.headers or []]
    rows = [
        Row(number=index, values=dict(zip(keys, values, strict=False)))
        for index, values in enumerate(dataset, start=2)
    ]
    return Sheet(name="Responses", headers=list(dataset.headers or []), rows=rows)


class ResponsesResource(resources.Resource):
    """Respondents with their answers, one row each, in the columns of DESIGN.md."""

    class Meta:
        name = "Questionnaire responses"

    @classmethod
    def get_display_name(cls) -> str:
        return cls._meta.name

    def get_user_visible_fields(self) -> list[fields.Field]:
        codes = Question.objects.values_list("code", flat=True)
        return [fields.Field(column_name=column) for column in [*RESPONDENT_COLUMNS, *codes]]

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs) -> Result:
        """Preview (dry run) or import; ``previewed`` is the digest of the plan the user saw
        and confirmed: if the plan is no longer the same, nothing is written."""
        plan = responses_import(
            sheet=_sheet_of(dataset),
            dry_run=dry_run,
            user=kwargs.get("user"),
            previewed=kwargs.get("previewed") or None,
        )
        request = kwargs.get("request")
        if dry_run and request is not None:
            request.responses_plan_digest = plan.digest()
            request.responses_plan_rows = len(plan.rows)
        return plan_result(plan)


def plan_result(plan: ResponsesPlan) -> Result:
    """The plan as django-import-export reports an import (the preview shows ``result.plan``)."""
    result = Result()
    result.plan = plan
    result.diff_headers = ["Row", "Respondent", "Changes"]
    for error in plan.errors:
        if error.row is None:
            result.append_base_error(Error(error))
            continue
        column = error.column or "File"
        result.invalid_rows.append(
            InvalidRow(
                number=error.row,
                validation_error=ValidationError({column: [error.message]}),
                values=(),
            )
        )
    if plan.errors:
        return result
    for plan_row in plan.rows:
        row = RowResult()
        row.import_type = IMPORT_TYPES.get(plan_row.action, RowResult.IMPORT_TYPE_SKIP)
        row.instance = plan_row.respondent
        row.object_id = plan_row.respondent.pk
        row.object_repr = plan_row.label
        row.diff = [plan_row.number, plan_row.label, plan_row.summary()]
        result.append_row_result(row)
        result.increment_row_result_total(row)
    result.total_rows = len(plan.rows)
    return result
