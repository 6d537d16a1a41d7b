"""Spreadsheets as spreadsheet programs write them, and exports that never run as formulas."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from wgec.documents.spreadsheets import (
    SpreadsheetError,
    csv_bytes,
    escape_formula,
    parse_datetime,
    parse_yes_no,
    read_workbook,
    xlsx_bytes,
)

HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTab", "\rReturn"]


def _xlsx(rows, title="Responses") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_bom_crlf_and_semicolons_reads_with_loose_headers():
    data = "\ufeffRespondent ID;NAME ;Consent to cite\r\n;Consejo Asesor;Sí\r\n".encode()
    sheet = read_workbook(data, "responses.csv")["responses"]
    assert sheet.headers == ["Respondent ID", "NAME", "Consent to cite"]
    [row] = sheet.rows
    assert row.number == 2
    assert row["respondentid"] == ""
    assert row.text("Name") == "Consejo Asesor"
    assert parse_yes_no(row["consent to cite"]) is True


def test_csv_in_windows_code_page_reads():
    data = "Name,Country\r\nMinistère des Affaires étrangères,France\r\n".encode("cp1252")
    [row] = read_workbook(data, "r.csv")["r"].rows
    assert row.text("name") == "Ministère des Affaires étrangères"


def test_non_latin_text_survives_csv_and_xlsx():
    texts = ["مجتمع المعلومات", "互联网治理", "Российская Федерация", "Côte d’Ivoire"]
    csv_sheet = read_workbook(csv_bytes(["Text"], [[t] for t in texts]), "t.csv")["t"]
    assert [row.text("text") for row in csv_sheet.rows] == texts
    xlsx_sheet = read_workbook(xlsx_bytes([("T", ["Text"], [[t] for t in texts])]), "t.xlsx")["T"]
    assert [row.text("text") for row in xlsx_sheet.rows] == texts


def test_thousands_of_trailing_blank_rows_are_ignored_and_row_numbers_kept():
    rows = [["Name", "Submitted"], ["A", "17/09/2013"], [None, None], ["B", "2013-09-16"]]
    rows += [[None, None]] * 5000
    sheet = read_workbook(_xlsx(rows), "r.xlsx")["Responses"]
    assert [(row.number, row.text("name")) for row in sheet.rows] == [(2, "A"), (4, "B")]


def test_a_table_that_begins_below_and_right_of_the_corner_keeps_its_row_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet["C3"], sheet["D3"], sheet["E3"] = "Name", "Count", "Share"
    sheet["C5"], sheet["D5"], sheet["E5"] = "A", 7, 0.5
    sheet["G9"] = "a note"
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_workbook(buffer.getvalue(), "r.xlsx")["Responses"]
    assert read.headers[2:5] == ["Name", "Count", "Share"]
    first = read.rows[0]
    assert (first.number, first["name"], first["count"], first["share"]) == (5, "A", 7, 0.5)
    assert isinstance(first["count"], int)
    assert [row.number for row in read.rows] == [5]  # the note has no column of its own


def test_hidden_sheets_are_read_too():
    workbook = Workbook()
    workbook.active.append(["Name"])
    hidden = workbook.create_sheet("About")
    hidden.append(["Exported at"])
    hidden.append(["2013-11-30"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_workbook(buffer.getvalue(), "r.xlsx")["About"].rows[0].text("exported at") == (
        "2013-11-30"
    )


def test_dates_as_text_and_as_spreadsheet_dates():
    expected = datetime.date(2013, 9, 17)
    for value in [
        "17/09/2013",
        "2013-09-17",
        "17 September 2013",
        41534,
        datetime.datetime(2013, 9, 17),  # noqa: DTZ001 - as openpyxl reads a date cell
    ]:
        assert parse_datetime(value).date() == expected, value
    assert parse_datetime("2013-09-17T14:22:00Z") == datetime.datetime(
        2013, 9, 17, 14, 22, tzinfo=datetime.UTC
    )
    assert parse_datetime("17/09/2013 16:22").utcoffset() == datetime.timedelta(hours=2)
    # Year first is year-month-day whatever the day; otherwise the day comes first.
    for value in ["2013-09-12", "2013-09-12 16:40", "2013/09/12", "12/09/2013", "12.09.2013"]:
        assert parse_datetime(value).date() == datetime.date(2013, 9, 12), value
    assert parse_datetime("2013-09-12T16:40:00Z") == datetime.datetime(
        2013, 9, 12, 16, 40, tzinfo=datetime.UTC
    )
    with pytest.raises(ValueError, match="is not a date"):
        parse_datetime("sometime in September")
    with pytest.raises(ValueError, match="required"):
        parse_datetime("")


def test_yes_no_refuses_anything_else():
    assert parse_yes_no("YES") is True
    assert parse_yes_no("no") is False
    with pytest.raises(ValueError, match="“maybe” is not yes or no"):
        parse_yes_no("maybe")


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_export_escapes_formulas_and_reading_restores_them(value):
    data = csv_bytes(["Evidence"], [[value]])
    raw = data.decode("utf-8-sig").splitlines()[1]
    assert raw.lstrip('"').startswith("'")
    [row] = read_workbook(data, "c.csv")["c"].rows
    assert row["evidence"] == value


def test_xlsx_export_keeps_formula_like_text_as_text():
    data = xlsx_bytes([("Coverage", ["Evidence"], [[v] for v in HOSTILE] + [[7], ["plain"]])])
    sheet = load_workbook(io.BytesIO(data))["Coverage"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE))]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == HOSTILE
    assert all(cell.quotePrefix for cell in cells)
    assert sheet.cell(row=len(HOSTILE) + 2, column=1).value == 7


def test_xlsx_export_drops_control_characters_it_cannot_store():
    data = xlsx_bytes([("S", ["T"], [["bell\x07 and null\x00"]])])
    [row] = read_workbook(data, "s.xlsx")["S"].rows
    assert row["t"] == "bell and null"


def test_escape_leaves_ordinary_text_alone():
    assert escape_formula("Council of Europe") == "Council of Europe"
    assert escape_formula("=1") == "'=1"


def test_missing_columns_and_duplicate_headers_are_named():
    sheet = read_workbook(b"Name\r\nA\r\n", "r.csv")["r"]
    with pytest.raises(SpreadsheetError) as raised:
        sheet.require_columns(["Name", "Stakeholder group", "Consent to cite"])
    assert str(raised.value) == (
        "Sheet “r”, row 1: required columns “Stakeholder group”, “Consent to cite” missing."
    )
    with pytest.raises(SpreadsheetError, match="the column “name” appears twice"):
        read_workbook(b"Name,name\r\nA,B\r\n", "r.csv")


def test_unknown_file_type_and_corrupt_xlsx_are_clear_errors():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SpreadsheetError, match="is an OpenDocument file"):
        read_workbook(ods.getvalue(), "responses.ods")
    with pytest.raises(SpreadsheetError, match="not a readable XLSX file"):
        read_workbook(b"PK\x03\x04 not really a zip", "responses.xlsx")


def test_direction_overrides_are_refused_but_embeddings_in_arabic_text_are_kept():
    arabic = "\u202bالتعاون المعزز\u202c \u2067نص\u2069"
    [row] = read_workbook(csv_bytes(["Text"], [[arabic]]), "t.csv")["t"].rows
    assert row["text"] == arabic
    with pytest.raises(SpreadsheetError) as raised:
        read_workbook(csv_bytes(["Text"], [["report\u202etxt.exe"]]), "t.csv")
    assert str(raised.value) == (
        "Sheet “t”, row 2, column “Text”: the cell holds a text-direction override (U+202E), "
        "which can disguise what the text says; remove it and import the file again."
    )


def _both_kinds(rows: list[list]) -> list[tuple[bytes, str, str]]:
    """The same table as an XLSX workbook and as a CSV file: (content, file name, sheet name)."""
    return [(_xlsx(rows, title="T"), "t.xlsx", "T"), (csv_bytes(rows[0], rows[1:]), "t.csv", "t")]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_read_without_keeping_its_rows_gives_the_same_rows_each_time_asked(kind):
    rows = [["Issue ID", "Status", "Evidence"], [7, "Partly", " Resolution 12 "], [None] * 3]
    rows += [[8, "Addressing", ""], [9, "", None]] + [[None] * 3] * 50
    data, name, sheet_name = next(item for item in _both_kinds(rows) if item[1].endswith(kind))
    kept = read_workbook(data, name)[sheet_name]
    sheet = read_workbook(data, name, keep_rows=False)[sheet_name]
    assert sheet.rows == []
    assert sheet.headers == kept.headers
    first = [(row.number, row.values) for row in sheet.iter_rows()]
    assert first == [(row.number, row.values) for row in kept.iter_rows()]
    assert [(row.number, row.values) for row in sheet.iter_rows()] == first
    assert [number for number, _ in first] == [2, 4, 5]
    assert sheet.row_count == kept.row_count == 3
    assert first[0][1]["evidence"] == "Resolution 12"
    assert first[1][1]["status"] == "Addressing"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_read_without_keeping_its_rows_is_still_checked_in_full_when_read(kind):
    rows = [["Issue ID", "Evidence"]] + [[n, f"Resolution {n}"] for n in range(1, 40)]
    rows += [[40, "report\u202etxt.exe"]]
    data, name, sheet_name = next(item for item in _both_kinds(rows) if item[1].endswith(kind))
    with pytest.raises(SpreadsheetError) as raised:
        read_workbook(data, name, keep_rows=False)
    assert str(raised.value) == (
        f"Sheet “{sheet_name}”, row 41, column “Evidence”: the cell holds a text-direction "
        "override (U+202E), which can disguise what the text says; remove it and import the "
        "file again."
    )
