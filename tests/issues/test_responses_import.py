"""Importing responses: golden files as spreadsheet programs write them, identity, idempotence,
every error named by row and column, nothing written on error, and the command."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from issues.models import Answer, IssueSource, Respondent
from issues.responses.plan import responses_read
from issues.responses.spellings import Spellings
from issues.responses.table import responses_table
from issues.services.responses import responses_import, responses_import_file
from tests.factories import AnswerFactory, IssueSourceFactory, RespondentFactory
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes

FILES = Path(__file__).resolve().parent / "files"

pytestmark = pytest.mark.django_db


def _import(name: str, **kwargs):
    return responses_import_file(data=(FILES / name).read_bytes(), filename=name, **kwargs)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADERS = ["Respondent ID", "Submitted", "Name", "Organisation", "Country", "Stakeholder group",
           "Consent to cite", "Q4", "Q10"]  # fmt: skip


def _csv(*rows: list) -> bytes:
    return csv_bytes(HEADERS, rows)


def _history_rows() -> int:
    return Respondent.history.count() + Answer.history.count()


def test_excel_file_imports_every_language_spelling_and_date_form(questionnaire):
    plan = _import("responses_excel.xlsx")
    assert plan.errors == []
    assert plan.counts["create"] == 9
    people = {respondent.name: respondent for respondent in Respondent.objects.all()}
    saudi = people["Communications and Information Technology Commission"]
    assert saudi.organisation == "هيئة الاتصالات وتقنية المعلومات"
    assert saudi.country.code == "SA" and saudi.stakeholder_group.slug == "governments"
    assert saudi.consent_to_cite is True
    assert saudi.answers.get(question__code="Q2a").text.startswith("يكتسب التعاون المعزز")
    assert not saudi.answers.filter(question__code="Q15").exists()
    china = people["Internet Society of China"]
    assert china.stakeholder_group.slug == "civil-society"
    assert china.submitted_at == datetime.datetime(2013, 9, 17, 12, 30, tzinfo=datetime.UTC)
    assert "跨境数据流动" in china.answers.get().text
    russia = people["Координационный центр доменов .RU/.РФ"]
    assert (russia.country.code, russia.stakeholder_group.slug) == ("RU", "technical-academic")
    assert russia.consent_to_cite is False
    assert russia.submitted_at.date() == datetime.date(2013, 9, 12)
    ivory = people["Ministère de l'Économie numérique"]
    assert ivory.country.code == "CI"
    assert timezone.localtime(ivory.submitted_at).date() == datetime.date(2013, 9, 12)
    assert people["ICC BASIS"].country.code == "US"
    assert people["ICC BASIS"].stakeholder_group.slug == "private-sector"
    assert people["ICC BASIS"].answers.get().text.startswith("+ broadband")
    assert people["Korea Internet & Security Agency"].country.code == "KR"
    assert people["Korea Internet & Security Agency"].stakeholder_group.slug == "technical-academic"
    assert people["Ministry of Information and Communications Technology"].country.code == "IR"
    assert people["Nominet"].country.code == "GB"
    itu = people["International Telecommunication Union"]
    assert itu.country.code is None or itu.country.code == ""
    assert itu.stakeholder_group.slug == "intergovernmental"


def test_csv_files_with_bom_semicolons_crlf_and_windows_code_page_import(questionnaire):
    plan = _import("responses_utf8.csv", order="dmy")  # its dates read both ways
    assert plan.errors == []
    assert plan.counts["create"] == 3
    russia = Respondent.objects.get(country="RU")
    assert russia.answers.get(question__code="Q10").text == (
        "Первое: наращивание потенциала.\nВторое: региональная координация."
    )
    assert Respondent.objects.get(country="CN").submitted_at.date() == datetime.date(2013, 9, 17)
    plan = _import("responses_windows.csv")
    assert plan.errors == []
    mexico = Respondent.objects.get(country="MX")
    assert mexico.name == "Secretaría de Comunicaciones y Transportes"
    assert mexico.consent_to_cite is True
    assert Respondent.objects.get(country="FR").consent_to_cite is False
    senegal = Respondent.objects.get(country="SN")
    assert senegal.stakeholder_group.slug == "governments"
    assert timezone.localtime(senegal.submitted_at).date() == datetime.date(2013, 9, 14)
    assert list(senegal.answers.values_list("question__code", flat=True)) == ["Q10"]


def test_importing_the_same_file_twice_changes_nothing(questionnaire):
    _import("responses_excel.xlsx")
    before = _history_rows()
    plan = _import("responses_excel.xlsx")
    assert plan.errors == []
    assert plan.counts == {"unchanged": 9}
    assert plan.written is False
    assert Respondent.objects.count() == 9
    assert _history_rows() == before


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_in_the_import_format_imports_back_unchanged(questionnaire, kind):
    _import("responses_excel.xlsx")
    headers, rows = responses_table()
    data = (
        xlsx_bytes([("Responses", headers, rows)]) if kind == "xlsx" else csv_bytes(headers, rows)
    )
    before = _history_rows()
    plan = responses_import_file(data=data, filename=f"export.{kind}")
    assert plan.errors == []
    assert plan.counts == {"unchanged": 9}
    assert _history_rows() == before


def test_row_with_an_id_updates_that_respondent_and_its_answers(questionnaire):
    respondent = RespondentFactory(name="Old name", consent_to_cite=False, country="BR")
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text="Old answer.")
    data = _csv([respondent.pk, "2013-09-01", "New name", "", "Chile", "Civil society", "Yes",
                 "New answer.", "An added answer."])  # fmt: skip
    plan = responses_import_file(data=data, filename="r.csv")
    assert plan.errors == [] and plan.counts == {"update": 1}
    respondent.refresh_from_db()
    assert (respondent.name, respondent.country.code, respondent.consent_to_cite) == (
        "New name",
        "CL",
        True,
    )
    assert respondent.stakeholder_group.slug == "civil-society"
    texts = dict(respondent.answers.values_list("question__code", "text"))
    assert texts == {"Q4": "New answer.", "Q10": "An added answer."}
    assert respondent.history.first().history_type == "~"


def test_row_without_id_is_matched_on_name_organisation_and_submission(questionnaire):
    respondent = RespondentFactory(
        name="Government of Chile",
        organisation="Subtel",
        submitted_at=datetime.datetime(2013, 9, 3, 10, 0, tzinfo=datetime.UTC),
    )
    data = _csv(["", "03/09/2013 12:00", "Government of Chile", "Subtel", "CL", "Government",
                 "yes", "Broadband.", ""])  # fmt: skip
    plan = responses_import_file(data=data, filename="r.csv", order="dmy")
    assert plan.counts == {"update": 1}
    assert Respondent.objects.get() == respondent
    assert respondent.answers.get().text == "Broadband."


def test_empty_cell_removes_the_answer_and_the_plan_says_so(questionnaire):
    respondent = RespondentFactory()
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text="To be removed.")
    kept = AnswerFactory(respondent=respondent, question=questionnaire["Q5"], text="Kept.")
    data = _csv([respondent.pk, "2013-09-01", respondent.name, respondent.organisation, "BR",
                 "Governments", "Yes", "", ""])  # fmt: skip
    plan = responses_import_file(data=data, filename="r.csv", dry_run=True)
    assert [(row.number, change.code, change.old) for row, change in plan.removals()] == [
        (2, "Q4", "To be removed.")
    ]
    assert "answer removed (empty cell): Q4" in plan.rows[0].summary()
    assert respondent.answers.count() == 2  # a dry run writes nothing
    responses_import_file(data=data, filename="r.csv")
    assert list(respondent.answers.all()) == [kept]  # Q5 is not a column of the file
    assert Answer.history.filter(history_type="-").count() == 1


def test_every_error_is_named_by_row_and_column_and_nothing_is_written(questionnaire):
    for name in ["responses_errors.xlsx", "responses_errors.csv"]:
        plan = _import(name)
        assert [(error.row, error.column) for error in plan.errors] == [
            (1, "Q99"),
            (2, "Stakeholder group"),
            (3, "Consent to cite"),
            (4, "Submitted"),
            (5, "Name"),
            (6, "Country"),
            (7, "Respondent ID"),
        ], name
        messages = [str(error) for error in plan.errors]
        assert "“Q99” is not a question of the questionnaire" in messages[0]
        assert "“Media” is not a stakeholder group" in messages[1]
        assert "“maybe” is not yes or no" in messages[2]
        assert "“31/02/2013” is not a date" in messages[3]
        assert "a name is required" in messages[4]
        assert "“Atlantis” is not a country" in messages[5]
        assert "there is no respondent with ID 999999" in messages[6]
        assert messages[1].startswith("Sheet")
        assert "row 2, column “Stakeholder group”" in messages[1]
        assert Respondent.objects.count() == 0
        assert _history_rows() == 0


def test_missing_required_columns_are_named(questionnaire):
    plan = responses_import_file(data=b"Name,Q4\r\nA,B\r\n", filename="r.csv")
    assert len(plan.errors) == 1
    assert "required columns “Submitted”, “Organisation”, “Country”" in str(plan.errors[0])


def test_the_same_respondent_twice_in_a_file_is_an_error(questionnaire):
    respondent = RespondentFactory()
    row = ["", "2013-09-10", "Twice", "", "BR", "Government", "Yes", "A.", ""]
    plan = responses_import_file(data=_csv(row, row), filename="r.csv")
    assert [(error.row, error.column) for error in plan.errors] == [(3, "Name")]
    by_id = [respondent.pk, "2013-09-10", "X", "", "BR", "Government", "Yes", "A.", ""]
    plan = responses_import_file(data=_csv(by_id, by_id), filename="r.csv")
    assert [(error.row, error.column) for error in plan.errors] == [(3, "Respondent ID")]


def test_unreadable_and_empty_files_are_clear_errors(questionnaire):
    plan = responses_import_file(data=b"PK\x03\x04 not really a zip", filename="r.xlsx")
    assert "is not a readable XLSX file" in str(plan.errors[0])
    plan = responses_import_file(data=b"", filename="r.csv")
    assert str(plan.errors[0]) == "The file “r.csv” is empty."


def test_answer_cited_by_an_issue_cannot_be_removed_or_lose_the_passage(questionnaire):
    answer = AnswerFactory(question=questionnaire["Q4"], text="Net neutrality and spam.")
    IssueSourceFactory(answer=answer, excerpt="Net neutrality", issue__title="Net neutrality")
    respondent = answer.respondent
    row = [respondent.pk, "2013-09-01", respondent.name, respondent.organisation, "BR",
           "Governments", "Yes"]  # fmt: skip
    plan = responses_import_file(data=_csv([*row, "", ""]), filename="r.csv")
    assert "is the source of the issue “Net neutrality”" in str(plan.errors[0])
    plan = responses_import_file(data=_csv([*row, "Only spam.", ""]), filename="r.csv")
    assert "no longer contains the passage" in str(plan.errors[0])
    plan = responses_import_file(data=_csv([*row, "Spam; net neutrality.", ""]), filename="r.csv")
    assert "no longer contains the passage" in str(plan.errors[0])  # case is part of the quote
    plan = responses_import_file(
        data=_csv([*row, "Above all:  Net neutrality\nand spam.", ""]), filename="r.csv"
    )
    assert plan.errors == [] and plan.written
    assert IssueSource.objects.count() == 1


def test_dry_run_reports_but_writes_nothing(questionnaire):
    plan = _import("responses_excel.xlsx", dry_run=True)
    assert plan.counts == {"create": 9}
    assert not plan.written
    assert Respondent.objects.count() == 0


def test_reader_prefers_the_responses_sheet(questionnaire):
    data = xlsx_bytes([("Read me", ["Note"], [["x"]]), ("Responses", HEADERS, [])])
    assert responses_read(data, "book.xlsx").name == "Responses"


def test_command_prints_counts_and_fails_with_every_error(questionnaire):
    out = io.StringIO()
    call_command("import_responses", str(FILES / "responses_excel.xlsx"), "--dry-run", stdout=out)
    assert "Dry run, nothing written: would be 9 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Respondent.objects.count() == 0
    call_command("import_responses", str(FILES / "responses_excel.xlsx"), stdout=out)
    assert Respondent.objects.count() == 9
    out = io.StringIO()
    call_command("import_responses", str(FILES / "responses_excel.xlsx"), stdout=out)
    assert "0 created, 0 updated, 9 unchanged (skipped)" in out.getvalue()
    with pytest.raises(CommandError) as failure:
        call_command("import_responses", str(FILES / "responses_errors.csv"))
    text = str(failure.value)
    assert "7 errors; nothing was imported" in text
    assert "row 6, column “Country”: “Atlantis” is not a country" in text
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_responses", "/nonexistent/responses.csv")


def test_import_records_the_user_in_the_history(questionnaire, secretariat_user):
    data = _csv(["", "2013-09-10", "New", "", "BR", "Government", "Yes", "A.", ""])
    plan = responses_import(sheet=responses_read(data, "r.csv"), user=secretariat_user)
    assert plan.written
    assert Respondent.history.get().history_user == secretariat_user
    assert Answer.history.get().history_user == secretariat_user


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("BR", "BR"), ("bra", "BR"), ("076", "BR"), ("Brazil", "BR"), ("brasil", None),
        ("Russia", "RU"), ("Russian Federation", "RU"), ("USA", "US"), ("U.S.A.", "US"),
        ("United States of America", "US"), ("UK", "GB"), ("Great Britain", "GB"),
        ("Iran (Islamic Republic of)", "IR"), ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"), ("Côte d'Ivoire", "CI"), ("Cote d’Ivoire", "CI"),
        ("Viet Nam", "VN"), ("the Netherlands", "NL"), ("Türkiye", "TR"), ("Sénégal", "SN"),
        ("Tanzania, United Republic of", "TZ"), ("Atlantis", None),
    ],
)  # fmt: skip
def test_countries_are_read_as_people_write_them(questionnaire, written, code):
    lookup = Spellings()
    if code is None:
        with pytest.raises(ValueError, match="is not a country"):
            lookup.country(written)
    else:
        assert lookup.country(written) == code


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("Governments", "governments"), ("government", "governments"),
        ("GOVERNMENTS", "governments"), ("Member State", "governments"),
        ("Business", "private-sector"), ("Private sector", "private-sector"),
        ("private-sector", "private-sector"), ("Civil Society", "civil-society"),
        ("NGO", "civil-society"), ("Academia", "technical-academic"),
        ("Technical community", "technical-academic"),
        ("Technical and academic community", "technical-academic"),
        ("Academic & technical community", "technical-academic"),
        ("IGO", "intergovernmental"), ("International organization", "intergovernmental"),
        ("Intergovernmental and international organisations", "intergovernmental"),
        ("Société civile", "civil-society"), ("Media", None),
    ],
)  # fmt: skip
def test_stakeholder_groups_are_read_as_people_write_them(questionnaire, written, slug):
    lookup = Spellings()
    if slug is None:
        with pytest.raises(ValueError, match="is not a stakeholder group"):
            lookup.group(written)
    else:
        assert lookup.group(written).slug == slug


@pytest.fixture
def small_batches(monkeypatch):
    """Rows checked, matched and written two at a time, so that a short file spans batches."""
    monkeypatch.setattr("issues.responses.plan.BATCH", 2)
    monkeypatch.setattr("issues.services.responses.BATCH", 2)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_of_several_batches_writes_each_answer_to_its_respondent(
    questionnaire, small_batches, kind
):
    updated = RespondentFactory(name="Updated", country="BR")
    AnswerFactory(respondent=updated, question=questionnaire["Q4"], text="Old answer.")
    AnswerFactory(respondent=updated, question=questionnaire["Q10"], text="Removed.")
    same = RespondentFactory(name="Same", country="BR")
    AnswerFactory(respondent=same, question=questionnaire["Q4"], text="Kept.")
    rows = [
        ["", "2013-09-10", "First", "", "BR", "Government", "Yes", "First Q4.", "First Q10."],
        ["", "2013-09-11", "Second", "", "IN", "Civil society", "No", "", "Second Q10."],
        [updated.pk, "2013-09-01", "Updated", updated.organisation, "BR",
         updated.stakeholder_group.name, "Yes", "New answer.", ""],
        [same.pk, timezone.localtime(same.submitted_at).replace(tzinfo=None), "Same",
         same.organisation, "BR", same.stakeholder_group.name,
         "Yes" if same.consent_to_cite else "No", "Kept.", ""],
        ["", "2013-09-12", "Fifth", "", "KE", "Business", "Yes", "Fifth Q4.", ""],
    ]  # fmt: skip
    data = xlsx_bytes([("Responses", HEADERS, rows)]) if kind == "xlsx" else _csv(*rows)
    plan = responses_import_file(data=data, filename=f"r.{kind}")
    assert plan.errors == [] and plan.written
    assert [(row.number, row.action) for row in plan.rows] == [
        (2, "create"), (3, "create"), (4, "update"), (5, "unchanged"), (6, "create"),
    ]  # fmt: skip
    assert [(row.number, change.code, change.old) for row, change in plan.removals()] == [
        (4, "Q10", "Removed.")
    ]
    texts = {
        (name, code): text
        for name, code, text in Answer.objects.values_list(
            "respondent__name", "question__code", "text"
        )
    }
    assert texts == {
        ("First", "Q4"): "First Q4.",
        ("First", "Q10"): "First Q10.",
        ("Second", "Q10"): "Second Q10.",
        ("Updated", "Q4"): "New answer.",
        ("Same", "Q4"): "Kept.",
        ("Fifth", "Q4"): "Fifth Q4.",
    }
    assert Answer.history.filter(history_type="-").get().text == "Removed."
    assert not same.history.filter(history_type="~").exists()


def test_an_error_in_a_late_batch_leaves_nothing_written(questionnaire, small_batches):
    respondent = RespondentFactory(name="Updated", country="BR")
    rows = [
        [respondent.pk, "2013-09-01", "Renamed", "", "BR", "Government", "Yes", "A.", ""],
        *(
            ["", f"2013-09-1{n}", f"New {n}", "", "BR", "Government", "Yes", f"Answer {n}.", ""]
            for n in range(4)
        ),
        ["", "2013-09-20", "Late", "", "Atlantis", "Government", "Yes", "B.", ""],
    ]
    plan = responses_import_file(data=_csv(*rows), filename="r.csv")
    assert [(error.row, error.column) for error in plan.errors] == [(7, "Country")]
    assert not plan.written
    assert list(Respondent.objects.values_list("name", flat=True)) == ["Updated"]
    assert not Answer.objects.exists()
    assert _history_rows() == Respondent.history.filter(history_type="+").count()


def test_the_same_respondent_in_two_batches_is_an_error_in_row_order(questionnaire, small_batches):
    row = ["", "2013-09-10", "Twice", "", "BR", "Government", "Yes", "A.", ""]
    other = ["", "2013-09-11", "Other", "", "BR", "Government", "Yes", "B.", ""]
    unknown = [999999, "2013-09-12", "Unknown", "", "BR", "Government", "Yes", "C.", ""]
    bad_group = ["", "2013-09-13", "Bad", "", "BR", "Media", "Yes", "D.", ""]
    data = _csv(row, unknown, bad_group, other, row)
    plan = responses_import_file(data=data, filename="r.csv")
    assert [(error.row, error.column) for error in plan.errors] == [
        (3, "Respondent ID"),
        (4, "Stakeholder group"),
        (6, "Name"),
    ]
    assert "row 2 has the same name, organisation and submission time" in str(plan.errors[2])
    assert Respondent.objects.count() == 0
