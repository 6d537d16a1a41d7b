"""The spreadsheets people exchange with the secretariat, read and written as they really are.

Reading takes CSV or XLSX as spreadsheet programs write them: a byte-order mark, Windows line
endings, commas or semicolons, UTF-8 or a Windows code page, dates as text or as spreadsheet
dates, and thousands of blank rows at the end. Headers match case- and space-insensitively
(``Respondent ID`` = ``respondent id`` = ``RespondentID``); extra columns are ignored.
Row numbers are those the spreadsheet program shows (the header is row 1).

Writing escapes every text cell that a spreadsheet program would run as a formula (one that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; OWASP ASVS 5.0 1.2.10): in CSV
with a leading apostrophe, in XLSX by storing the cell as text with a quote prefix. Reading
removes the apostrophe again, so that an export imports unchanged.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from dateutil import parser as date_parser
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(Exception):
    """A problem in a file, located as precisely as possible."""

    def __init__(
        self, message: str, *, sheet: str = "", row: int | None = None, column: str = ""
    ) -> None:
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet “{self.sheet}”")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column “{self.column}”")
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location
        if location:
            return f"{location[:1].upper()}{location[1:]}: {self.message}"
        return f"{self.message[:1].upper()}{self.message[1:]}"


def normalise_header(name: Any) -> str:
    return "".join(str(name or "").split()).casefold()


def escape_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unescape_formula(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


@dataclass
class Row:
    number: int
    values: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values.get(normalise_header(column), "")

    def text(self, column: str) -> str:
        value = self[column]
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def is_blank(self) -> bool:
        return all(value in ("", None) for value in self.values.values())


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)

    def has_column(self, column: str) -> bool:
        return normalise_header(column) in {normalise_header(h) for h in self.headers}

    def require_columns(self, columns: Iterable[str]) -> None:
        missing = [column for column in columns if not self.has_column(column)]
        if missing:
            names = ", ".join(f"“{column}”" for column in missing)
            raise SpreadsheetError(
                f"required column{'s' if len(missing) > 1 else ''} {names} missing.",
                sheet=self.name,
                row=1,
            )

    def error(self, message: str, *, row: Row | int | None = None, column: str = "") -> Exception:
        number = row.number if isinstance(row, Row) else row
        return SpreadsheetError(message, sheet=self.name, row=number, column=column)


def read_workbook(data: bytes, filename: str) -> dict[str, Sheet]:
    """Every sheet of an XLSX file, or the one table of a CSV file (named after the file)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        sheet = read_csv(data, name=PurePath(filename).stem)
        return {sheet.name: sheet}
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(data)
    raise SpreadsheetError(f"{filename}: choose a .csv or .xlsx file.")


def read_csv(data: bytes, *, name: str = "CSV") -> Sheet:
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        table = list(reader)
    except csv.Error as error:
        raise SpreadsheetError(f"not a readable CSV file ({error}).", sheet=name) from None
    return _sheet(name, table)


def _delimiter(text: str) -> str:
    """The separator of the header row: comma, semicolon (Excel in most of Europe) or tab.

    Counted on the header alone: csv.Sniffer takes seconds on a sample with thousands of empty
    rows, and headers hold no separators of their own.
    """
    header = next((line for line in io.StringIO(text) if line.strip(",;\t \r\n")), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" on Western Windows writes the ANSI code page.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "the file is neither UTF-8 nor Windows-1252 text; save it as “CSV UTF-8”.", sheet=name
        ) from None


def read_xlsx(data: bytes) -> dict[str, Sheet]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SpreadsheetError(f"not a readable XLSX file ({error}).") from None
    try:
        return {
            worksheet.title: _sheet(worksheet.title, worksheet.iter_rows(values_only=True))
            for worksheet in workbook.worksheets
        }
    finally:
        workbook.close()


def _sheet(name: str, table: Iterable[Sequence[Any]]) -> Sheet:
    rows = iter(table)
    headers: list[str] = []
    number = 0
    for number, cells in enumerate(rows, start=1):  # noqa: B007 - the header row's number
        if any(cell not in (None, "") for cell in cells):
            headers = [str(cell).strip() if cell is not None else "" for cell in cells]
            break
    sheet = Sheet(name=name, headers=headers)
    if not headers:
        return sheet
    if headers and headers[0].startswith("\ufeff"):
        headers[0] = headers[0][1:]
    keys = [normalise_header(header) for header in headers]
    seen: set[str] = set()
    for key, header in zip(keys, headers, strict=True):
        if key and key in seen:
            raise SpreadsheetError(f"the column “{header}” appears twice.", sheet=name, row=number)
        seen.add(key)
    for offset, cells in enumerate(rows, start=number + 1):
        values = {key: _cell(cell) for key, cell in zip(keys, cells, strict=False) if key}
        row = Row(number=offset, values=values)
        if not row.is_blank():
            sheet.rows.append(row)
    return sheet


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return unescape_formula(value.replace("\r\n", "\n").strip())
    return "" if value is None else value


# Parsing values ---------------------------------------------------------------------------

_YES = {"yes", "y", "true", "1", "oui", "sí", "si", "x"}
_NO = {"no", "n", "false", "0", "non", ""}


def parse_yes_no(value: Any) -> bool:
    """Yes or No, as people write them; ValueError for anything else."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"“{value}” is not yes or no.")


_YEAR_FIRST = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")


def parse_datetime(value: Any) -> datetime.datetime:
    """A date or date and time as text (day before month) or as a spreadsheet date.

    Naive values are taken in the site's time zone. ValueError names what could not be read.
    """
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31 as a spreadsheet serial
            raise ValueError(f"“{value}” is not a date.")
        moment = from_excel(value)
    else:
        text = str(value).strip()
        if not text:
            raise ValueError("a date is required.")
        # A date that starts with the year (ISO 8601, 2013/09/17) is year-month-day; any other
        # is read day before month, as outside the United States.
        year_first = bool(_YEAR_FIRST.match(text))
        try:
            # Missing parts default to the first of the month at midnight, never to today.
            default = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 - made aware below
            moment = date_parser.parse(
                text, dayfirst=not year_first, yearfirst=year_first, default=default
            )
        except (ValueError, OverflowError):
            raise ValueError(f"“{text}” is not a date (write it as 2013-09-17).") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# Writing ----------------------------------------------------------------------------------


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so that Excel reads non-Latin text), CRLF lines."""
    return b"".join(csv_chunks(headers, rows))


def csv_chunks(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """The same CSV in pieces, for streaming large tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([escape_formula(str(header)) for header in headers])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return escape_formula(str(value))


# Rows read ahead to fit the columns' widths (a write-only sheet sets them before its rows).
_WIDTH_SAMPLE = 200


def xlsx_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], *, title: str = ""
) -> bytes:
    """An XLSX workbook of (sheet name, headers, rows) as people print and sort it: bold frozen
    headers with an auto-filter, columns as wide as their content (within limits), landscape
    pages fitted to the width with the header row repeated on each, text kept as text;
    ``title`` is the workbook's title (its document properties)."""
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub("", title)
    for name, headers, rows in sheets:
        worksheet = workbook.create_sheet(title=name[:31])
        worksheet.freeze_panes = "A2"
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.print_title_rows = "1:1"
        rows = iter(rows)
        ahead = list(itertools.islice(rows, _WIDTH_SAMPLE))
        for index, width in enumerate(column_widths(headers, ahead), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        header_cells = []
        for header in headers:
            cell = _xlsx_cell(worksheet, header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        worksheet.append(header_cells)
        count = 0
        for count, row in enumerate(itertools.chain(ahead, rows), start=1):  # noqa: B007
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
        if headers:
            worksheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Widths (in characters) that fit each column: its header (with room for the filter's
    button) or its longest line among ``rows``, between 8 and 60 (longer texts wrap)."""
    widths = []
    for index, header in enumerate(headers):
        longest = len(str(header)) + 3
        for row in rows:
            if index < len(row) and row[index] is not None:
                value = row[index]
                text = f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime.datetime) else value
                lines = str(text).split("\n")
                longest = max(longest, *(len(line) for line in lines))
        widths.append(float(min(60, max(8, longest + 1))))
    return widths


_WRAP = Alignment(wrap_text=True, vertical="top")


def _xlsx_cell(worksheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    cell = WriteOnlyCell(worksheet, value=value if not isinstance(value, str) else None)
    if isinstance(value, str):
        # Stored as text, never as a formula, whatever it begins with. Control characters
        # that XLSX cannot hold are dropped.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
        if "\n" in value or len(value) > 60:
            cell.alignment = _WRAP
    return cell
