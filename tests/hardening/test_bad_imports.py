"""The hostile and malformed import files of ``tests/files/bad/imports/`` (issue 11, item 12):
each goes through the real import (the responses import that the admin's worker and
``manage.py import_responses`` run; the map import's plan that the admin's worker and
``manage.py import_map`` run) and must give its message, naming the limit, sheet, row or column
concerned, and write nothing. ``cases.json`` lists them (``make_corpus.py`` writes it); the huge
ones are recipes built here."""

import html
import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from issues.models import Answer, Issue, Respondent
from issues.services.responses import responses_import_file
from mechanisms.map_workbook.imports import map_import_plan
from mechanisms.models import Coverage, Gap, MapImport, Mechanism
from tests.factories import RespondentFactory
from tests.issues.conftest import _questionnaire
from tests.mechanisms.map_dataset import build_map_dataset

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "files" / "bad" / "imports"
CASES = json.loads((CORPUS / "cases.json").read_text())
RESPONSES = "Respondent ID,Submitted,Name,Organisation,Country,Stakeholder group,Consent to cite"
GOOD_ROW = ",2013-09-02,{name},,BR,Government,Yes"


def _case_id(case: dict) -> str:
    return f"{case['import']}:{Path(case.get('file') or case['name']).name}"


# Recipes of the huge inputs ----------------------------------------------------------------


def _raw_xlsx(rows, title: str = "Responses", extra: dict | None = None) -> bytes:
    """A minimal XLSX workbook whose one sheet's rows are XML written as they stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.'
            f'org/officeDocument/2006/relationships"><sheets><sheet name="{title}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for chunk in rows:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _row(number: int, values) -> str:
    cells = "".join(
        f'<c t="inlineStr"><is><t>{html.escape(str(value))}</t></is></c>' for value in values
    )
    return f'<row r="{number}">{cells}</row>'


def _repeated(row: str, count: int, per_chunk: int = 10_000):
    """``count`` copies of a row's XML (rows without a number follow the one before)."""
    chunk = row * per_chunk
    for _ in range(count // per_chunk):
        yield chunk
    yield row * (count % per_chunk)


def _zip_bomb_declared() -> bytes:
    """A small workbook whose sheet declares 4 GB once unpacked (central directory patched)."""
    data = bytearray(_raw_xlsx([_row(1, ["Name"])]))
    name = b"xl/worksheets/sheet1.xml"
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + length] == name:
            struct.pack_into("<I", data, entry + 24, 4_000_000_000)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def _zip_bomb_real() -> bytes:
    zeros = "<!--" + " " * (60 * 2**20) + "-->"
    return _raw_xlsx([_row(1, ["Name"]), zeros])


def _many_members() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(10_000):
            archive.writestr(f"xl/media/{index}.bin", b"")
    return buffer.getvalue()


def _csv_lines(header: str, rows, blank: int = 0, last: str = "") -> bytes:
    return (header + "\r\n" + "".join(rows) + ",,,,,,\r\n" * blank + last).encode()


RECIPES = {
    "zip_bomb_declared": _zip_bomb_declared,
    "zip_bomb_real": _zip_bomb_real,
    "many_members": _many_members,
    "too_big": lambda: b"Name\r\n" + b"x" * (50 * 2**20 + 1),
    "wide_csv": lambda: (",".join(f"c{i}" for i in range(100_000)) + "\r\n").encode(),
    "wide_xlsx": lambda: _raw_xlsx([_row(1, (f"c{i}" for i in range(100_000)))]),
    "long_cell_csv": lambda: f"Name,Title\r\n{'x' * 1_000_000},x\r\n".encode(),
    "long_cell_xlsx": lambda: _raw_xlsx([_row(1, ["Name"]), _row(2, ["x" * 1_000_000])]),
    "cell_32768_csv": lambda: f"Name,Title\r\n{'x' * 32_768},x\r\n".encode(),
    "million_rows_csv": lambda: _csv_lines(
        RESPONSES, (GOOD_ROW.format(name=f"R{index}") + "\r\n" for index in range(1_000_000))
    ),
    "million_blank_rows_csv": lambda: _csv_lines(
        RESPONSES, [], blank=1_000_001, last=",2013-09-02,A,,Atlantis,Government,Yes\r\n"
    ),
    "million_blank_rows_xlsx": lambda: _raw_xlsx(
        [
            _row(1, RESPONSES.split(",")),
            *_repeated("<row/>", 1_000_001),
            _row(1_000_003, ["", "2013-09-02", "A", "", "Atlantis", "Government", "Yes"]),
        ]
    ),
    "million_issues_xlsx": lambda: _raw_xlsx(
        [
            _row(1, ["Issue ID", "Title"]),
            *_repeated(
                '<row><c t="inlineStr"><is><t></t></is></c>'
                '<c t="inlineStr"><is><t>A new issue</t></is></c></row>',
                1_000_000,
            ),
        ],
        title="Issues",
    ),
    "million_issues_csv": lambda: _csv_lines(
        "Issue ID,Title", (f",Issue {index}\r\n" for index in range(1_000_000))
    ),
    "map_million_blank_rows_csv": lambda: _csv_lines(
        "Issue ID,Title", [], blank=1_000_001, last="9101,\r\n"
    ),
}


def _content(case: dict) -> tuple[str, bytes]:
    if "file" in case:
        return Path(case["file"]).name, (CORPUS / case["file"]).read_bytes()
    return case["name"], RECIPES[case["recipe"]]()


# What is in the database, to show that nothing was written ------------------------------------


def _responses_state() -> tuple:
    return (
        Respondent.objects.count(),
        Answer.objects.count(),
        Respondent.history.count(),
        Answer.history.count(),
    )


def _map_state() -> tuple:
    return tuple(
        count
        for model in (Issue, Mechanism, Coverage, Gap)
        for count in (model.objects.count(), model.history.count())
    )


@pytest.fixture
def existing_respondent():
    _questionnaire()
    return RespondentFactory(pk=4242, name="Existing respondent")


def test_the_corpus_holds_at_least_120_inputs_over_both_imports():
    assert len(CASES) >= 120
    assert {case["import"] for case in CASES} == {"responses", "map"}
    assert len({_case_id(case) for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c["import"] == "responses"], ids=_case_id)
def test_hostile_responses_file_is_refused_with_its_message_and_nothing_written(
    case, existing_respondent, settings
):
    for name, value in case.get("settings", {}).items():
        setattr(settings, name, value)
    filename, data = _content(case)
    before = _responses_state()
    plan = responses_import_file(data=data, filename=filename)
    messages = [str(error) for error in plan.errors]
    assert any(case["message"] in message for message in messages), messages
    assert not plan.written
    assert _responses_state() == before


@pytest.mark.parametrize("case", [c for c in CASES if c["import"] == "map"], ids=_case_id)
def test_hostile_map_file_is_refused_with_its_message_and_nothing_written(case, settings):
    build_map_dataset()
    for name, value in case.get("settings", {}).items():
        setattr(settings, name, value)
    filename, data = _content(case)
    before = _map_state()
    plan = map_import_plan([(filename, data)])
    messages = [str(error) for error in plan.errors]
    assert any(case["message"] in message for message in messages), messages
    assert _map_state() == before


SMALL = [c for c in CASES if "file" in c]


@pytest.mark.parametrize(
    "case", [c for c in SMALL if c["import"] == "responses"][::6], ids=_case_id
)
def test_hostile_responses_file_uploaded_in_the_admin_shows_its_message(
    case, existing_respondent, secretariat_client
):
    filename, data = _content(case)
    before = _responses_state()
    page = secretariat_client.post(
        reverse("admin:issues_respondent_import"),
        {"import_file": SimpleUploadedFile(filename, data)},
        follow=True,
    )
    assert page.status_code == 200
    assert page.context["upload"].state == "invalid"
    errors = [error["text"] for error in page.context["preview"]["errors"]]
    assert any(case["message"] in error for error in errors), errors
    text = html.unescape(page.content.decode())
    assert any(error["message"] in text for error in page.context["preview"]["errors"])
    assert _responses_state() == before


@pytest.mark.parametrize("case", [c for c in SMALL if c["import"] == "map"][::6], ids=_case_id)
def test_hostile_map_file_uploaded_in_the_admin_shows_its_message(case, secretariat_client):
    build_map_dataset()
    filename, data = _content(case)
    name = filename if filename.endswith((".csv", ".xlsx")) else f"{filename}.csv"
    before = _map_state()
    page = secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {"files": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert page.status_code == 200
    assert MapImport.objects.get().state == MapImport.State.INVALID
    text = html.unescape(page.content.decode())
    assert case["message"].replace(filename, name) in text
    assert _map_state() == before
