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
import functools
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from dateutil import parser as date_parser
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

from wgec import text_checks

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
    return _normalised(str(name or ""))


@functools.lru_cache(maxsize=1024)
def _normalised(name: str) -> str:
    # Asked for each cell an import reads (``Row[column]``), of a few dozen column names.
    return "".join(name.split()).casefold()


def escape_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unescape_formula(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


@dataclass(slots=True)  # an import holds one a row (200,000 for the map at 100x)
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
    # How a sheet read without keeping its rows (``read_workbook(keep_rows=False)``) reads them
    # again; None when they are kept in ``rows``.
    reread: Callable[[], Iterator[Row]] | None = field(default=None, repr=False, compare=False)
    # The rows read when they were not kept.
    not_kept: int = field(default=0, repr=False, compare=False)

    @property
    def row_count(self) -> int:
        """The rows, blank ones left out, whether kept or not."""
        return len(self.rows) if self.reread is None else self.not_kept

    def iter_rows(self) -> Iterator[Row]:
        """The rows, from ``rows`` or, when they were not kept, read again from the file (as
        checked when it was read)."""
        return iter(self.rows) if self.reread is None else self.reread()

    def has_column(self, column: str) -> bool:
        return normalise_header(column) in self._keys

    @functools.cached_property
    def _keys(self) -> frozenset[str]:
        # Asked for each row by the imports: the headers are read once the sheet is.
        return frozenset(normalise_header(header) for header in self.headers)

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


@dataclass(frozen=True)
class ReadLimits:
    """What a file may hold, checked while it is read (settings ``IMPORT_MAX_*``): its size, the
    declared size of what an XLSX archive unpacks to (before anything is unpacked), and the rows,
    columns and characters of a cell of each sheet."""

    max_bytes: int = 50 * 2**20
    max_unpacked_bytes: int = 500 * 2**20
    max_rows: int = 300_000
    max_columns: int = 500
    max_cell_chars: int = 32_767
    max_members: int = 10_000

    @classmethod
    def from_settings(cls) -> "ReadLimits":
        from django.conf import settings

        return cls(
            max_bytes=settings.IMPORT_MAX_MB * 2**20,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * 2**20,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def check_size(size: int, name: str, limits: "ReadLimits | None" = None) -> None:
    """Refuse a file larger than the import limit, before it is read."""
    limits = limits or ReadLimits.from_settings()
    if size > limits.max_bytes:
        raise SpreadsheetError(
            f"the file “{name}” is {_megabytes(size)}; at most "
            f"{limits.max_bytes // 2**20} MB may be imported (IMPORT_MAX_MB)."
        )


_CHOOSE = "choose .xlsx or .csv."
_CONTROL_BYTES = [*range(0, 9), 11, 12, *range(14, 32), 127]

# Files that are not spreadsheets, known by their first bytes.
_NOT_SPREADSHEETS = [
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls or .doc; save it as .xlsx)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
]
_ZIP_DOCUMENTS = [
    ("word/document.xml", "a Word document (DOCX)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (PPTX)"),
    ("content.xml", "an OpenDocument file (ODS or ODT; save it as .xlsx)"),
]
_HTML = re.compile(rb"\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<table)", re.IGNORECASE)


def file_kind(data: bytes, filename: str, limits: "ReadLimits | None" = None) -> str:
    """ "xlsx" or "csv", from the file's content whatever its name says; SpreadsheetError for
    anything else (an empty file, a PDF, a Word document renamed .xlsx, binary data ...). An XLSX
    archive's declared sizes are checked here, before anything is unpacked."""
    limits = limits or ReadLimits.from_settings()
    check_size(len(data), filename, limits)
    if not data.strip():
        raise SpreadsheetError(f"the file “{filename}” is empty.")
    for magic, what in _NOT_SPREADSHEETS:
        if data.startswith(magic):
            raise SpreadsheetError(f"the file “{filename}” is {what}, not a spreadsheet: {_CHOOSE}")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _check_archive(data, filename, limits)
        return "xlsx"
    if _HTML.match(data[:1024]):
        raise SpreadsheetError(
            f"the file “{filename}” is a web page (HTML or XML), not a spreadsheet: {_CHOOSE}"
        )
    head = data[:8192]
    # Binary data is full of control bytes; text has none but tab and line breaks (a stray NUL
    # in a cell is text with a bad character, named by its row and column when read).
    controls = sum(head.count(bytes([byte])) for byte in _CONTROL_BYTES)
    if controls > len(head) // 20 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(f"the file “{filename}” holds binary data, not CSV text: {_CHOOSE}")
    return "csv"


def _check_archive(data: bytes, filename: str, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise SpreadsheetError(
            f"the file “{filename}” is not a readable XLSX file: the archive is damaged or cut "
            f"short ({error})."
        ) from None
    if len(members) > limits.max_members:
        raise SpreadsheetError(
            f"the file “{filename}” is an archive of {len(members):,} files; an XLSX workbook "
            f"has far fewer (at most {limits.max_members:,})."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise SpreadsheetError(
            f"the file “{filename}” unpacks to {_megabytes(unpacked)}; at most "
            f"{limits.max_unpacked_bytes // 2**20} MB may be unpacked (IMPORT_MAX_UNPACKED_MB)."
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return
    for name, what in _ZIP_DOCUMENTS:
        if name in names:
            raise SpreadsheetError(f"the file “{filename}” is {what}, not a spreadsheet: {_CHOOSE}")
    raise SpreadsheetError(
        f"the file “{filename}” is a ZIP archive but not an XLSX workbook: {_CHOOSE}"
    )


# Called with the number of rows read so far, every PROGRESS_EVERY rows (a worker's progress).
Progress = Callable[[int], None]
PROGRESS_EVERY = 1000


def read_workbook(
    data: bytes,
    filename: str,
    limits: ReadLimits | None = None,
    progress: Progress | None = None,
    *,
    keep_rows: bool = True,
) -> dict[str, Sheet]:
    """Every sheet of an XLSX file, or the one table of a CSV file (named after the file).

    The type follows the content; the limits are checked while reading (see ``ReadLimits``).
    With ``keep_rows=False`` every row is read and checked all the same, but none is kept:
    ``Sheet.iter_rows`` reads them again, one at a time, from what the reader holds (calamine's
    copy of an XLSX sheet, outside Python; a CSV file's text), so that an import of a large
    sheet holds one of its rows at a time, not all of them (issue 17: the map preview at 100x
    held its 200,000 Coverage rows)."""
    limits = limits or ReadLimits.from_settings()
    if file_kind(data, filename, limits) == "csv":
        sheet = read_csv(
            data,
            name=PurePath(filename).stem or "CSV",
            limits=limits,
            progress=progress,
            keep_rows=keep_rows,
        )
        return {sheet.name: sheet}
    return read_xlsx(data, limits=limits, progress=progress, keep_rows=keep_rows)


def read_csv(
    data: bytes,
    *,
    name: str = "CSV",
    limits: ReadLimits | None = None,
    progress: Progress | None = None,
    keep_rows: bool = True,
) -> Sheet:
    limits = limits or ReadLimits.from_settings()
    text = _decode(data, name)
    delimiter = _delimiter(text)

    def rows() -> Iterator[list[str]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise SpreadsheetError(
                    f"a cell holds more than {limits.max_cell_chars:,} characters; at most "
                    f"{limits.max_cell_chars:,} may be imported (IMPORT_MAX_CELL_CHARS).",
                    sheet=name,
                    row=reader.line_num,
                ) from None
            raise SpreadsheetError(
                f"not a readable CSV file ({error}).", sheet=name, row=reader.line_num
            ) from None

    return _sheet(name, rows, limits, progress, keep_rows)


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
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SpreadsheetError(
                "the file starts as UTF-16 text but is not; save it as “CSV UTF-8”.", sheet=name
            ) from None
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


def read_xlsx(
    data: bytes,
    *,
    limits: ReadLimits | None = None,
    progress: Progress | None = None,
    keep_rows: bool = True,
) -> dict[str, Sheet]:
    """Every worksheet of an XLSX file (hidden ones too), read by calamine (python-calamine).

    calamine reads a sheet's values in compiled code, some fifty times faster than openpyxl's
    reader (issue 17: the preview of the map workbook at 100x spent three quarters of its time
    there), and holds them outside Python until each row is asked for; what an archive may
    unpack to is checked before (``file_kind``)."""
    limits = limits or ReadLimits.from_settings()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - a hostile file may break the reader anywhere
        raise SpreadsheetError(f"not a readable XLSX file ({error}).") from None
    try:
        sheets = {}
        for sheet in workbook.sheets_metadata:
            if sheet.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart sheet has no cells
            cells = functools.partial(_xlsx_rows, workbook.get_sheet_by_name(sheet.name))
            sheets[sheet.name] = _sheet(sheet.name, cells, limits, progress, keep_rows)
        return sheets
    except SpreadsheetError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged or cut-short sheet fails mid-read
        raise SpreadsheetError(f"not a readable XLSX file ({error}).") from None
    finally:
        workbook.close()


def _xlsx_rows(sheet: CalamineSheet) -> Iterator[Sequence[Any]]:
    """A sheet's rows, each from column A (calamine gives the rows from the first, but each from
    the first column holding a value), whole numbers as integers, as spreadsheet programs show
    them."""
    padding = [""] * (sheet.start or (0, 0))[1]
    for cells in sheet.iter_rows():
        yield [
            int(cell) if type(cell) is float and cell.is_integer() else cell
            for cell in itertools.chain(padding, cells)
        ]


def _sheet(
    name: str,
    table: Callable[[], Iterator[Sequence[Any]]],
    limits: ReadLimits,
    progress: Progress | None = None,
    keep_rows: bool = True,
) -> Sheet:
    """A sheet from ``table`` (which gives its cells row by row, each time it is called): its
    header row, the first not blank, and the rows below it, checked against ``limits``."""
    rows = table()
    headers: list[str] = []
    number = 0
    for number, cells in enumerate(rows, start=1):  # noqa: B007 - the header row's number
        _check_width(name, number, cells, limits)
        if any(cell not in (None, "") for cell in cells):
            headers = [str(cell).strip() if cell is not None else "" for cell in cells]
            break
        if number > limits.max_rows:
            raise _too_many_rows(name, number, limits)
    sheet = Sheet(name=name, headers=headers)
    if not headers:
        return sheet
    if headers and headers[0].startswith("\ufeff"):
        headers[0] = headers[0][1:]
    for header in headers:
        _check_text(name, number, header, header, limits)
    keys = [normalise_header(header) for header in headers]
    seen: set[str] = set()
    for key, header in zip(keys, headers, strict=True):
        if key and key in seen:
            raise SpreadsheetError(f"the column “{header}” appears twice.", sheet=name, row=number)
        seen.add(key)
    count = 0
    for count, row in enumerate(_rows(name, headers, keys, rows, number + 1, limits), start=1):
        if keep_rows:
            sheet.rows.append(row)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if not keep_rows:
        sheet.not_kept = count
        sheet.reread = lambda: _rows(
            name, headers, keys, itertools.islice(table(), number, None), number + 1
        )
    return sheet


def _rows(
    name: str,
    headers: list[str],
    keys: list[str],
    table: Iterator[Sequence[Any]],
    first: int,
    limits: ReadLimits | None = None,
) -> Iterator[Row]:
    """The rows of ``table``, numbered from ``first``, blank ones left out; each checked against
    ``limits``, unless None (a sheet read again, checked when it was first read)."""
    count = 0
    for offset, cells in enumerate(table, start=first):
        if not cells or all(cell in (None, "") for cell in cells):
            continue  # blank rows (spreadsheet programs may write a million) cost nothing
        if limits is not None:
            _check_width(name, offset, cells, limits)
            if count >= limits.max_rows:
                raise _too_many_rows(name, offset, limits)
        values = {}
        for key, header, cell in zip(keys, headers, cells, strict=False):
            if key:
                value = _cell(cell)
                if limits is not None and isinstance(value, str):
                    _check_text(name, offset, header, value, limits)
                values[key] = value
        row = Row(number=offset, values=values)
        if not row.is_blank():
            count += 1
            yield row


def _too_many_rows(name: str, number: int, limits: ReadLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"the sheet has more than {limits.max_rows:,} rows; at most {limits.max_rows:,} may be "
        "imported (IMPORT_MAX_ROWS).",
        sheet=name,
        row=number,
    )


def _check_width(name: str, number: int, cells: Sequence[Any], limits: ReadLimits) -> None:
    if len(cells) <= limits.max_columns:
        return
    width = max(
        (index for index, cell in enumerate(cells, start=1) if cell not in (None, "")), default=0
    )
    if width > limits.max_columns:
        raise SpreadsheetError(
            f"the row has {width:,} columns; at most {limits.max_columns:,} may be imported "
            "(IMPORT_MAX_COLUMNS).",
            sheet=name,
            row=number,
        )


def forbidden_character(text: str) -> str | None:
    """A description of the first character a cell may not hold, or None: what
    ``wgec.text_checks`` refuses in multi-line text, and the text-direction overrides."""
    found = text_checks.forbidden_character(text, multiline=True, overrides=True)
    if found is None:
        return None
    character = found[1]
    code = f"U+{ord(character):04X}"
    if character in "\u202d\u202e":
        return f"a text-direction override ({code}), which can disguise what the text says"
    if character == "\x00":
        return f"a NUL byte ({code})"
    return f"a control character ({code})"


def _check_text(name: str, number: int, column: str, value: str, limits: ReadLimits) -> None:
    if len(value) > limits.max_cell_chars:
        raise SpreadsheetError(
            f"the cell holds {len(value):,} characters; at most {limits.max_cell_chars:,} may be "
            "imported (IMPORT_MAX_CELL_CHARS).",
            sheet=name,
            row=number,
            column=column,
        )
    problem = forbidden_character(value)
    if problem:
        raise SpreadsheetError(
            f"the cell holds {problem}; remove it and import the file again.",
            sheet=name,
            row=number,
            column=column,
        )


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
_NUMERIC_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})\b")

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
DATE_ORDERS = {DAY_FIRST: "day first (17/09/2013)", MONTH_FIRST: "month first (9/17/2013)"}


def date_order(
    sheet: "Sheet", column: str, rows: Iterable["Row"], chosen: str | None = None
) -> str:
    """The one order in which every date of a column is read: the order that makes every value
    valid (any “9/17/2013” decides month first), or ``chosen`` (``dmy`` or ``mdy``).

    Dates that start with the year, spreadsheet dates and dates with a month name are read as
    they are. A column whose dates fit both orders is refused unless the order is chosen, and a
    column that fits neither (“17/09/2013” and “9/17/2013”) is refused; each error names the
    rows that decide.
    """
    needs: dict[str, tuple[int, str]] = {}
    ambiguous: tuple[int, str, int, int] | None = None
    for row in rows:
        value = row[column]
        if not isinstance(value, str):
            continue
        text = value.strip()
        found = _NUMERIC_DATE.match(text)
        if found is None or _YEAR_FIRST.match(text):
            continue
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 and second <= 12:
            needs.setdefault(DAY_FIRST, (row.number, text))
        elif second > 12 and first <= 12:
            needs.setdefault(MONTH_FIRST, (row.number, text))
        elif first != second and ambiguous is None:
            ambiguous = (row.number, text, first, second)
    if len(needs) == 2:
        (day_row, day_text), (month_row, month_text) = needs[DAY_FIRST], needs[MONTH_FIRST]
        raise sheet.error(
            f"the dates are written in two orders: “{day_text}” (row {day_row}) is day first, "
            f"“{month_text}” (row {month_row}) is month first; write every date in one order "
            "(or as 2013-09-17).",
            row=min(day_row, month_row),
            column=column,
        )
    if chosen:
        other = MONTH_FIRST if chosen == DAY_FIRST else DAY_FIRST
        if other in needs:
            number, text = needs[other]
            raise sheet.error(
                f"the dates were said to be {DATE_ORDERS[chosen]}, but “{text}” can only be "
                f"{DATE_ORDERS[other].split(' (')[0]}.",
                row=number,
                column=column,
            )
        return chosen
    if needs:
        return next(iter(needs))
    if ambiguous is not None:
        number, text, first, second = ambiguous
        raise sheet.error(
            f"the dates can be read day first or month first (“{text}”: is it "
            f"{_both_ways(first, second)}?) and no date in the file decides; say which order "
            "the file uses (the import form's “Date order”, or --date-order dmy|mdy).",
            row=number,
            column=column,
        )
    return DAY_FIRST


def _both_ways(first: int, second: int) -> str:
    month = datetime.date(2000, 1, 1).replace
    return (
        f"{first} {month(month=second).strftime('%B')} or "
        f"{month(month=first).strftime('%B')} {second}"
    )


def parse_datetime(value: Any, order: str = DAY_FIRST) -> datetime.datetime:
    """A date or date and time as text (in ``order``: day or month first; see ``date_order``)
    or as a spreadsheet date.

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
        # is read in the file's order.
        year_first = bool(_YEAR_FIRST.match(text))
        try:
            # Missing parts default to the first of the month at midnight, never to today.
            default = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 - made aware below
            moment = date_parser.parse(
                text,
                dayfirst=order == DAY_FIRST and not year_first,
                yearfirst=year_first,
                default=default,
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
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    hidden: Iterable[str] = (),
    *,
    title: str = "",
) -> bytes:
    """An XLSX workbook of (sheet name, headers, rows) as people print and sort it: bold frozen
    headers with an auto-filter, columns as wide as their content (within limits), landscape
    pages fitted to the width with the header row repeated on each, text kept as text; the
    sheets named in ``hidden`` are hidden; ``title`` is the workbook's title (its document
    properties)."""
    workbook = Workbook(write_only=True)
    hidden = set(hidden)
    if title:
        workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub("", title)
    for name, headers, rows in sheets:
        worksheet = workbook.create_sheet(title=name[:31])
        if name in hidden:
            worksheet.sheet_state = "hidden"
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
    if isinstance(value, Promise):
        # A translatable label (a choice's), in the language active while writing.
        value = str(value)
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
