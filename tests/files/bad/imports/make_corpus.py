# ruff: noqa: E501 - tables of cases read best one per line
"""Writes the hostile import files of this folder and ``cases.json`` (run from the checkout:
``python tests/files/bad/imports/make_corpus.py``). Each case names the import it goes through
(``responses`` or ``map``), its file, and a passage of the message it must give; huge inputs
(a ZIP bomb, a million rows, 100,000 columns, 1 MB strings) are not written here but are
recipes that ``tests/hardening/test_bad_imports.py`` builds when it runs."""

import io
import json
import random
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
RESPONSES = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
             "Stakeholder group", "Consent to cite", "Q4"]  # fmt: skip
GOOD = [
    "",
    "2013-09-02",
    "Government of Brazil",
    "Ministry",
    "BR",
    "Government",
    "Yes",
    "An answer.",
]
ISSUES = ["Issue ID", "Title", "Cluster", "Description", "State"]
MECHANISMS = ["Mechanism ID", "Name", "Acronym", "Kind", "Website"]
COVERAGE = ["Issue ID", "Mechanism ID", "Status", "Evidence"]

cases: list[dict] = []


def csv_text(headers, rows) -> str:
    def cell(value) -> str:
        value = str(value)
        if any(c in value for c in ',"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in [headers, *rows])


def xlsx(sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def add(importer: str, name: str, content: bytes | str, message: str, **extra) -> None:
    folder = HERE / importer
    folder.mkdir(exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)
    cases.append({"import": importer, "file": f"{importer}/{name}", "message": message, **extra})


def recipe(importer: str, name: str, recipe_name: str, message: str, **extra) -> None:
    cases.append(
        {"import": importer, "recipe": recipe_name, "name": name, "message": message, **extra}
    )


def responses_row(**changes) -> list:
    row = dict(zip(RESPONSES, GOOD, strict=True))
    row.update(changes)
    return [row[column] for column in RESPONSES]


def responses_csv(*rows, headers=RESPONSES) -> str:
    return csv_text(headers, rows)


# Files that are not spreadsheets, or broken ones: the same for both imports ------------------

valid_xlsx = xlsx([("Responses", RESPONSES, [GOOD])])
rng = random.Random(11)
garbage = bytes(rng.randrange(256) for _ in range(4096))
not_spreadsheets = [
    ("empty.csv", b"", "is empty"),
    ("empty.xlsx", b"", "is empty"),
    ("blank_lines.csv", b"\r\n\r\n   \r\n", "is empty"),
    ("binary_garbage.csv", garbage, "holds binary data, not CSV text"),
    ("binary_garbage.xlsx", garbage, "holds binary data, not CSV text"),
    (
        "pdf_renamed.xlsx",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "is a PDF document",
    ),
    ("pdf_renamed.csv", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "is a PDF document"),
    (
        "docx_renamed.xlsx",
        zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "is a Word document (DOCX)",
    ),
    (
        "docx_renamed.csv",
        zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "is a Word document (DOCX)",
    ),
    (
        "pptx_renamed.xlsx",
        zipped({"ppt/presentation.xml": b"<p:presentation/>"}),
        "is a PowerPoint presentation",
    ),
    (
        "ods_renamed.xlsx",
        zipped(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            }
        ),
        "is an OpenDocument file",
    ),
    (
        "plain_zip.xlsx",
        zipped({"notes.txt": b"hello"}),
        "is a ZIP archive but not an XLSX workbook",
    ),
    ("empty_zip.xlsx", zipped({}), "is a ZIP archive but not an XLSX workbook"),
    ("truncated_half.xlsx", valid_xlsx[: len(valid_xlsx) // 2], "is not a readable XLSX file"),
    ("truncated_tail.xlsx", valid_xlsx[:-30], "is not a readable XLSX file"),
    ("truncated_header.xlsx", valid_xlsx[:40], "is not a readable XLSX file"),
    (
        "corrupt_sheet.xlsx",
        zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><not-closed>"}),
        "a readable XLSX file (",
    ),
    (
        "html_renamed.csv",
        b"<!DOCTYPE html>\n<html><body><table><tr><td>Name</td></tr></table></body></html>",
        "is a web page",
    ),
    (
        "html_renamed.xlsx",
        b"<html><head><title>Export</title></head><body></body></html>",
        "is a web page",
    ),
    ("html_table.csv", b"  <table><tr><td>Submitted</td></tr></table>", "is a web page"),
    ("xml_renamed.csv", b'<?xml version="1.0"?><Workbook/>', "is a web page"),
    ("png_renamed.csv", b"\x89PNG\r\n\x1a\n" + bytes(40), "is a PNG image"),
    ("jpeg_renamed.xlsx", b"\xff\xd8\xff\xe0" + bytes(40), "is a JPEG image"),
    ("gif_renamed.csv", b"GIF89a" + bytes(40), "is a GIF image"),
    ("gzip_renamed.csv", b"\x1f\x8b\x08\x00" + bytes(40), "is a gzip archive"),
    ("sevenzip_renamed.xlsx", b"7z\xbc\xaf\x27\x1c" + bytes(40), "is a 7-Zip archive"),
    ("rar_renamed.xlsx", b"Rar!\x1a\x07\x00" + bytes(40), "is a RAR archive"),
    ("rtf_renamed.csv", b"{\\rtf1\\ansi Name}", "is an RTF document"),
    ("elf_renamed.csv", b"\x7fELF\x02\x01\x01" + bytes(40), "is a program"),
    ("exe_renamed.xlsx", b"MZ\x90\x00" + bytes(40), "is a program"),
    ("xls_renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "is an old Office file"),
    ("utf16_odd_length.csv", b"\xff\xfeN\x00a\x00m\x00e", "starts as UTF-16 text but is not"),
    ("utf16_no_bom.csv", "Name,Country\r\nA,BR\r\n".encode("utf-16-le"), "holds binary data"),
    (
        "undecodable.csv",
        b"Name\r\nA\x81\x8d\x8f\x90\x9d\r\n",
        "neither UTF-8 nor Windows-1252",
    ),
]
for name, content, message in not_spreadsheets:
    add("responses", name, content, message)
    add("map", name, content, message)

# Huge or hostile archives and tables: recipes built by the test ------------------------------

for importer in ("responses", "map"):
    recipe(
        importer,
        "zip_bomb_declared.xlsx",
        "zip_bomb_declared",
        "at most 500 MB may be unpacked (IMPORT_MAX_UNPACKED_MB)",
    )
    recipe(
        importer,
        "zip_bomb_real.xlsx",
        "zip_bomb_real",
        "at most 50 MB may be unpacked (IMPORT_MAX_UNPACKED_MB)",
        settings={"IMPORT_MAX_UNPACKED_MB": 50},
    )
    recipe(importer, "many_members.xlsx", "many_members", "is an archive of 10,001 files")
    recipe(importer, "too_big.csv", "too_big", "at most 50 MB may be imported (IMPORT_MAX_MB)")
    recipe(
        importer,
        "hundred_thousand_columns.csv",
        "wide_csv",
        "the row has 100,000 columns; at most 500 may be imported (IMPORT_MAX_COLUMNS)",
    )
    recipe(
        importer,
        "hundred_thousand_columns.xlsx",
        "wide_xlsx",
        "the row has 100,000 columns; at most 500 may be imported (IMPORT_MAX_COLUMNS)",
    )
    recipe(
        importer,
        "one_mb_string.csv",
        "long_cell_csv",
        "a cell holds more than 32,767 characters; at most 32,767 may be imported (IMPORT_MAX_CELL_CHARS)",
    )
    recipe(
        importer,
        "one_mb_string.xlsx",
        "long_cell_xlsx",
        "the cell holds 1,000,000 characters; at most 32,767 may be imported (IMPORT_MAX_CELL_CHARS)",
    )
    recipe(
        importer,
        "just_over_cell_limit.csv",
        "cell_32768_csv",
        "the cell holds 32,768 characters; at most 32,767",
    )
recipe(
    "responses",
    "million_rows.csv",
    "million_rows_csv",
    "the sheet has more than 300,000 rows; at most 300,000 may be imported (IMPORT_MAX_ROWS)",
)
recipe(
    "responses",
    "million_blank_rows.csv",
    "million_blank_rows_csv",
    "Sheet “million_blank_rows”, row 1000003, column “Country”: “Atlantis” is not a country",
)
recipe(
    "responses",
    "million_blank_rows.xlsx",
    "million_blank_rows_xlsx",
    "Sheet “Responses”, row 1000003, column “Country”: “Atlantis” is not a country",
)
recipe(
    "map",
    "million_issues.xlsx",
    "million_issues_xlsx",
    "Sheet “Issues”, row 20002: the sheet has more than 20,000 rows; at most 20,000 may be imported (IMPORT_MAX_ROWS)",
    settings={"IMPORT_MAX_ROWS": 20_000},
)
recipe(
    "map",
    "million_issues.csv",
    "million_issues_csv",
    "the sheet has more than 300,000 rows; at most 300,000 may be imported (IMPORT_MAX_ROWS)",
)
recipe(
    "map",
    "million_blank_rows.csv",
    "map_million_blank_rows_csv",
    "Sheet “million_blank_rows”, row 1000003, column “Title”: an issue needs a title.",
)

# Responses: cells, headers, IDs, values and dates --------------------------------------------

controls = [
    ("nul_in_name", "Name", "Gov\x00ernment", "a NUL byte (U+0000)"),
    ("nul_in_answer", "Q4", "An\x00swer", "a NUL byte (U+0000)"),
    ("bell_in_organisation", "Organisation", "Min\x07istry", "a control character (U+0007)"),
    ("escape_sequence_in_name", "Name", "\x1b[31mRed\x1b[0m", "a control character (U+001B)"),
    ("vertical_tab_in_answer", "Q4", "one\x0btwo", "a control character (U+000B)"),
    ("form_feed_in_answer", "Q4", "one\x0ctwo", "a control character (U+000C)"),
    ("delete_in_name", "Name", "Gov\x7f", "a control character (U+007F)"),
    ("c1_next_line_in_name", "Name", "Gov\x85ernment", "a control character (U+0085)"),
    ("c1_csi_in_answer", "Q4", "\x9b31m", "a control character (U+009B)"),
    ("backspace_in_country", "Country", "B\x08R", "a control character (U+0008)"),
    (
        "rtl_override_in_name",
        "Name",
        "Government \u202egnp.exe",
        "a text-direction override (U+202E)",
    ),
    ("ltr_override_in_name", "Name", "\u202dGovernment", "a text-direction override (U+202D)"),
]
for name, column, value, message in controls:
    add("responses", f"{name}.csv", responses_csv(responses_row(**{column: value})),
        f"row 2, column “{column}”: the cell holds {message}")  # fmt: skip
add("responses", "nul_in_header.csv", responses_csv(GOOD, headers=[*RESPONSES[:-1], "Q\x004"]),
    "row 1, column “Q\x004”: the cell holds a NUL byte (U+0000)")  # fmt: skip
add("responses", "rtl_override.xlsx",
    xlsx([("Responses", RESPONSES, [responses_row(Name="Ministry \u202etxt.exe")])]),
    "Sheet “Responses”, row 2, column “Name”: the cell holds a text-direction override (U+202E)")  # fmt: skip

formulas = [
    ("formula_in_country", "Country", '=HYPERLINK("http://x","BR")', "is not a country"),
    ("formula_in_group", "Stakeholder group", "@SUM(1+1)", "is not a stakeholder group"),
    ("formula_in_consent", "Consent to cite", "=TRUE()", "is not yes or no"),
    ("formula_in_id", "Respondent ID", "=1+1", "is not a respondent ID"),
    ("formula_in_date", "Submitted", "=NOW()", "is not a date"),
    ("dde_in_country", "Country", "=cmd|' /C calc'!A0", "is not a country"),
    ("plus_formula_in_consent", "Consent to cite", "+1+1", "is not yes or no"),
    ("minus_formula_in_group", "Stakeholder group", "-2+3", "is not a stakeholder group"),
]
for name, column, value, message in formulas:
    add("responses", f"{name}.csv", responses_csv(responses_row(**{column: value})), message)
workbook = Workbook()
sheet = workbook.active
sheet.title = "Responses"
sheet.append(RESPONSES)
sheet.append(responses_row(Name='=CONCATENATE("a","b")'))  # a formula without a cached value
buffer = io.BytesIO()
workbook.save(buffer)
add("responses", "formula_cell_without_value.xlsx", buffer.getvalue(),
    "row 2, column “Name”: a name is required")  # fmt: skip

headers = [
    (
        "wrong_headers.csv",
        csv_text(["Nom", "Pays", "Groupe"], [["A", "BR", "Government"]]),
        "required columns “Submitted”, “Name”, “Organisation”, “Country”, “Stakeholder group”, “Consent to cite” missing",
    ),
    (
        "missing_consent_column.csv",
        csv_text(RESPONSES[:6], [GOOD[:6]]),
        "required column “Consent to cite” missing",
    ),
    (
        "duplicate_header.csv",
        csv_text([*RESPONSES, "name"], [[*GOOD, "x"]]),
        "the column “name” appears twice",
    ),
    (
        "unknown_question.csv",
        csv_text([*RESPONSES, "Q99"], [[*GOOD, "x"]]),
        "“Q99” is not a question of the questionnaire",
    ),
    (
        "question_like_header.csv",
        csv_text([*RESPONSES, "q2z"], [[*GOOD, "x"]]),
        "“q2z” is not a question of the questionnaire",
    ),
    (
        "headers_shifted_right.csv",
        csv_text(["", "", *RESPONSES[:4]], [["", "", *GOOD[:4]]]),
        "missing",
    ),
    ("header_only_semicolons.csv", ";;;;\r\n;;;;\r\n", "required columns “Submitted”, “Name”"),
    (
        "google_forms_raw_export.csv",
        csv_text(
            [
                "Timestamp",
                "Email Address",
                "Name",
                "Organisation",
                "Country",
                "Stakeholder group",
                "I agree to be cited",
            ],
            [
                [
                    "9/17/2013 14:03:22",
                    "a@example.org",
                    "ISOC",
                    "",
                    "US",
                    "Technical community",
                    "Yes",
                ]
            ],
        ),
        "required columns “Submitted”, “Consent to cite” missing",
    ),
]
for name, content, message in headers:
    add("responses", name, content, message)

values = [
    ("unknown_country", {"Country": "Atlantis"}, "“Atlantis” is not a country"),
    ("unknown_group", {"Stakeholder group": "Aliens"}, "“Aliens” is not a stakeholder group"),
    ("empty_group", {"Stakeholder group": ""}, "a stakeholder group is required"),
    ("consent_maybe", {"Consent to cite": "maybe"}, "“maybe” is not yes or no"),
    ("empty_name", {"Name": ""}, "a name is required"),
    (
        "name_301_characters",
        {"Name": "N" * 301},
        "the name is 301 characters long; at most 300 fit",
    ),
    (
        "organisation_501_characters",
        {"Organisation": "O" * 501},
        "the organisation is 501 characters; at most 500 fit",
    ),
    ("id_not_a_number", {"Respondent ID": "abc"}, "“abc” is not a respondent ID"),
    ("id_negative", {"Respondent ID": "-4"}, "“-4” is not a respondent ID"),
    ("id_zero", {"Respondent ID": "0"}, "“0” is not a respondent ID"),
    ("id_decimal", {"Respondent ID": "4242.5"}, "“4242.5” is not a respondent ID"),
    ("id_unknown", {"Respondent ID": "999999"}, "there is no respondent with ID 999999"),
    ("id_huge", {"Respondent ID": "9" * 40}, f"“{'9' * 40}” is not a respondent ID"),
]
for name, changes, message in values:
    add("responses", f"{name}.csv", responses_csv(responses_row(**changes)), message)
add("responses", "duplicate_ids.csv",
    responses_csv(responses_row(**{"Respondent ID": "4242"}), responses_row(**{"Respondent ID": "4242", "Name": "Other"})),
    "respondent 4242 is already in row 2")  # fmt: skip
add("responses", "duplicate_rows_without_ids.csv", responses_csv(GOOD, GOOD),
    "row 2 has the same name, organisation and submission time")  # fmt: skip
add("responses", "language_too_long.csv",
    csv_text([*RESPONSES, "Language"], [[*GOOD, "english-uk-x"]]), "is not a language code")  # fmt: skip
add("responses", "illustrative_perhaps.csv",
    csv_text([*RESPONSES, "Illustrative"], [[*GOOD, "perhaps"]]), "“perhaps” is not yes or no")  # fmt: skip

dates = [
    ("date_in_the_future", "2999-01-01", "the submission date 2999-01-01 is in the future"),
    ("date_before_2000", "1999-12-31", "the submission date 1999-12-31 is before 2000"),
    ("date_1900", "1900-01-01", "is before 2000"),
    ("date_31_february", "31/02/2013", "“31/02/2013” is not a date"),
    ("date_13_13", "13/13/2013", "“13/13/2013” is not a date"),
    ("date_month_13_iso", "2013-13-01", "“2013-13-01” is not a date"),
    ("date_words", "yesterday", "“yesterday” is not a date"),
    ("date_empty", "", "the submission date is required"),
    ("date_two_digit_year_future", "01/01/99", "is before 2000"),
    ("date_only_ambiguous", "9/2/2013", "say which order the file uses"),
]
for name, value, message in dates:
    add("responses", f"{name}.csv", responses_csv(responses_row(Submitted=value)), message)
add("responses", "dates_in_two_orders.csv",
    responses_csv(responses_row(Submitted="17/09/2013"), responses_row(Submitted="9/18/2013", Name="Other")),
    "the dates are written in two orders: “17/09/2013” (row 2) is day first, “9/18/2013” (row 3) is month first")  # fmt: skip
add("responses", "google_forms_us_dates_all_ambiguous.csv",
    responses_csv(*[responses_row(Submitted=f"{m}/{d}/2013 10:00:00", Name=f"Respondent {m}-{d}") for m, d in [(9, 2), (10, 1), (11, 5), (12, 3)]]),
    "the dates can be read day first or month first (“9/2/2013 10:00:00”: is it 9 February or September 2?)")  # fmt: skip
add("responses", "google_forms_us_dates_future.csv",
    responses_csv(responses_row(Submitted="9/17/2013 14:03:22"), responses_row(Submitted="12/31/2099 10:00:00", Name="Later")),
    "the submission date 2099-12-31 is in the future")  # fmt: skip
add("responses", "date_serial_zero.xlsx",
    xlsx([("Responses", RESPONSES, [responses_row(Submitted=0)])]), "“0” is not a date")  # fmt: skip
add("responses", "date_serial_1900.xlsx",
    xlsx([("Responses", RESPONSES, [responses_row(Submitted=1)])]), "is before 2000")  # fmt: skip
add("responses", "date_serial_far_future.xlsx",
    xlsx([("Responses", RESPONSES, [responses_row(Submitted=60000)])]), "is in the future")  # fmt: skip
add("responses", "latin1_bad_country.csv",
    responses_csv(responses_row(Country="Pérou-sur-Mer")).encode("latin-1"), "“Pérou-sur-Mer” is not a country")  # fmt: skip
add("responses", "utf16_bad_group.csv",
    b"\xff\xfe" + responses_csv(responses_row(**{"Stakeholder group": "Aliens"})).encode("utf-16-le"),
    "“Aliens” is not a stakeholder group")  # fmt: skip
add("responses", "semicolon_bad_consent.csv",
    responses_csv(responses_row(**{"Consent to cite": "peut-être"})).replace(",", ";"), "“peut-être” is not yes or no")  # fmt: skip

# The map workbook: the dataset of tests/mechanisms/map_dataset.py is in the database ----------


def map_xlsx(issues=None, mechanisms=None, coverage=None) -> bytes:
    sheets = []
    if issues is not None:
        sheets.append(("Issues", ISSUES, issues))
    if mechanisms is not None:
        sheets.append(("Mechanisms", MECHANISMS, mechanisms))
    if coverage is not None:
        sheets.append(("Coverage", COVERAGE, coverage))
    return xlsx(sheets)


DNS = [
    9101,
    "Domain name system",
    "Infrastructure and standardisation",
    "Coordination of the DNS.",
    "On the map",
]
map_cases = [
    (
        "no_known_table.csv",
        csv_text(["Issue ID", "Name"], [["1", "x"]]),
        "Issues, Mechanisms or Coverage table found (check the sheet names or the column headers)",
    ),
    (
        "issues_without_title.csv",
        csv_text(["Issue ID", "Cluster"], [["9101", "Security"]]),
        "Issues, Mechanisms or Coverage table found (check the sheet names or the column headers)",
    ),
    (
        "issues_sheet_without_title.xlsx",
        xlsx([("Issues", ["Issue ID", "Cluster"], [[9101, "Security"]])]),
        "required column “Title” missing",
    ),
    (
        "two_issue_sheets.xlsx",
        xlsx([("Issues", ISSUES, [DNS]), ("Sheet2", ISSUES, [DNS])]),
        "a second Issues table was given",
    ),
    (
        "unknown_issue_id.xlsx",
        map_xlsx(issues=[[424242, "New", "", "", "On the map"]]),
        "no issue has the ID 424242",
    ),
    ("duplicate_issue_ids.xlsx", map_xlsx(issues=[DNS, DNS]), "Issue ID 9101 is also on row 2"),
    (
        "issue_id_text.xlsx",
        map_xlsx(issues=[["nine", "DNS", "", "", "On the map"]]),
        "“nine” is not an ID",
    ),
    (
        "issue_id_huge.csv",
        csv_text(ISSUES, [["9" * 30, "DNS", "", "", "On the map"]]),
        f"“{'9' * 30}” is not an ID",
    ),
    (
        "mechanism_id_not_finite.csv",
        csv_text(MECHANISMS, [["1e400", "X", "", "Other", ""]]),
        "“1e400” is not an ID",
    ),
    (
        "issue_id_negative.xlsx",
        map_xlsx(issues=[[-3, "DNS", "", "", "On the map"]]),
        "“-3” is not an ID",
    ),
    (
        "issue_title_empty.xlsx",
        map_xlsx(issues=[[9101, "", "", "", "On the map"]]),
        "an issue needs a title",
    ),
    (
        "issue_title_301.xlsx",
        map_xlsx(issues=[[9101, "T" * 301, "", "", "On the map"]]),
        "at most 300 characters, not 301",
    ),
    (
        "new_issue_existing_title.xlsx",
        map_xlsx(issues=[["", "Domain name system", "", "", ""]]),
        "exists as Issue ID 9101",
    ),
    (
        "new_issue_twice.xlsx",
        map_xlsx(issues=[["", "Brand new", "", "", ""], ["", "brand new", "", "", ""]]),
        "is also added on row 2",
    ),
    (
        "unknown_cluster.xlsx",
        map_xlsx(issues=[[9101, "Domain name system", "Atlantis", "", "On the map"]]),
        "unknown cluster “Atlantis”",
    ),
    (
        "unknown_state.xlsx",
        map_xlsx(issues=[[9101, "Domain name system", "", "", "Floating"]]),
        "unknown state “Floating”",
    ),
    (
        "formula_state.xlsx",
        map_xlsx(issues=[[9101, "Domain name system", "Security", "", "=1+1"]]),
        "row 2, column “State”: State cannot be empty",
    ),
    (
        "unknown_mechanism_id.xlsx",
        map_xlsx(mechanisms=[[777, "X", "", "Other", ""]]),
        "no mechanism has the ID 777",
    ),
    (
        "mechanism_website_script.xlsx",
        map_xlsx(
            mechanisms=[
                [
                    9001,
                    "International Telecommunication Union",
                    "ITU",
                    "Intergovernmental",
                    "javascript:alert(1)",
                ]
            ]
        ),
        "“javascript:alert(1)” is not a web address",
    ),
    (
        "mechanism_unknown_kind.xlsx",
        map_xlsx(
            mechanisms=[
                [9001, "International Telecommunication Union", "ITU", "Secret society", ""]
            ]
        ),
        "unknown kind",
    ),
    (
        "coverage_unknown_mechanism.csv",
        csv_text(COVERAGE, [["9101", "77", "Addressing", ""]]),
        "no mechanism has the ID 77",
    ),
    (
        "coverage_unknown_status.csv",
        csv_text(COVERAGE, [["9101", "9001", "Maybe", ""]]),
        "unknown status “Maybe”",
    ),
    (
        "coverage_formula_status.csv",
        csv_text(COVERAGE, [["9101", "9001", "@SUM(1)", ""]]),
        "unknown status “@SUM(1)”",
    ),
    (
        "coverage_empty_status.csv",
        csv_text(COVERAGE, [["9101", "9001", "", ""]]),
        "give the status",
    ),
    (
        "coverage_duplicate_pair.csv",
        csv_text(
            COVERAGE, [["9101", "9001", "Addressing", ""], ["9101", "9001", "Addressing", ""]]
        ),
        "are also paired on row 2",
    ),
]
for name, content, message in map_cases:
    add("map", name, content, message)
map_controls = [
    ("nul_in_title", "Title", "Domain\x00 name system", "a NUL byte (U+0000)"),
    ("bell_in_description", "Description", "Coordination\x07", "a control character (U+0007)"),
    ("escape_in_title", "Title", "\x1b[2JDomain", "a control character (U+001B)"),
    ("rtl_override_in_title", "Title", "Domain \u202emetsys", "a text-direction override (U+202E)"),
    ("delete_in_cluster", "Cluster", "Security\x7f", "a control character (U+007F)"),
]
for name, column, value, message in map_controls:
    row = dict(
        zip(
            ISSUES,
            [
                "9101",
                "Domain name system",
                "Infrastructure and standardisation",
                "Coordination of the DNS.",
                "On the map",
            ],
            strict=True,
        )
    )
    row[column] = value
    add("map", f"{name}.csv", csv_text(ISSUES, [[row[c] for c in ISSUES]]),
        f"row 2, column “{column}”: the cell holds {message}")  # fmt: skip
add("map", "nul_in_evidence.csv", csv_text(COVERAGE, [["9101", "9001", "Addressing", "Evidence\x00"]]),
    "column “Evidence”: the cell holds a NUL byte (U+0000)")  # fmt: skip
add("map", "rtl_override_in_mechanism.xlsx",
    map_xlsx(mechanisms=[[9001, "ITU \u202eUTI", "ITU", "Intergovernmental", ""]]),
    "Sheet “Mechanisms”, row 2, column “Name”: the cell holds a text-direction override (U+202E)")  # fmt: skip
add("map", "latin1_unknown_cluster.csv",
    csv_text(ISSUES, [["9101", "Domain name system", "Sécurité", "", "On the map"]]).encode("cp1252"),
    "unknown cluster “Sécurité”")  # fmt: skip
add("map", "utf16_unknown_status.csv",
    b"\xff\xfe" + csv_text(COVERAGE, [["9101", "9001", "Sideways", ""]]).encode("utf-16-le"),
    "unknown status “Sideways”")  # fmt: skip

(HERE / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases")
