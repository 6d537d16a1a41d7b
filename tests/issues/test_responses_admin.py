"""The secretariat's admin: importing responses (preview, then confirm), downloads, and linking
answers to the issues they raise."""

import io
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from issues.admin import RespondentAdmin
from issues.models import Answer, IssueSource, Respondent
from issues.tasks import responses_import_run
from tests.factories import (
    AnswerFactory,
    IssueFactory,
    IssueSourceFactory,
    RespondentFactory,
    UserFactory,
)
from wgec.documents.spreadsheets import csv_bytes
from wgec.versions import VERSION_FIELD, version_of, version_token

FILES = Path(__file__).resolve().parent / "files"
IMPORT = reverse("admin:issues_respondent_import")
CONFIRM = reverse("admin:issues_respondent_process_import")

pytestmark = pytest.mark.django_db


def _preview(client, name: str, data: bytes | None = None):
    data = (FILES / name).read_bytes() if data is None else data
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"import_file": upload, "format": "0", "resource": "0"})


def _confirm(client, preview):
    return client.post(CONFIRM, preview.context["confirm_form"].initial, follow=True)


def test_secretariat_previews_then_confirms_a_file(secretariat_client, questionnaire):
    preview = _preview(secretariat_client, "responses_excel.xlsx")
    text = preview.content.decode()
    assert "9 created, 0 updated, 0 unchanged (skipped)" in text
    assert "Internet Society of China" in text
    assert Respondent.objects.count() == 0  # the preview writes nothing
    done = _confirm(secretariat_client, preview)
    assert "Import finished: 9 new, 0 updated, 0 deleted and 0 skipped respondents." in (
        done.content.decode()
    )
    assert Respondent.objects.count() == 9
    assert Answer.objects.count() == 11
    assert LogEntry.objects.count() == 9
    assert Respondent.history.filter(history_user__username="secretariat").count() == 9
    # The same file again: nothing to do.
    again = _preview(secretariat_client, "responses_excel.xlsx")
    assert "0 created, 0 updated, 9 unchanged (skipped)" in again.content.decode()
    assert "9 rows match the database and will be skipped" in again.content.decode()


def test_bad_file_lists_every_error_by_row_and_column_and_offers_no_confirm(
    secretariat_client, questionnaire
):
    preview = _preview(secretariat_client, "responses_errors.csv")
    assert "confirm_form" not in preview.context
    text = preview.content.decode()
    assert "7 errors: nothing will be imported" in text
    assert "<td>6</td><td>Country</td><td>“Atlantis” is not a country" in text
    assert "<td>1</td><td>Q99</td>" in text
    assert "Confirm import" not in text
    assert Respondent.objects.count() == 0


def test_preview_shows_which_answers_an_empty_cell_removes(secretariat_client, questionnaire):
    respondent = RespondentFactory(name="Government of Chile", organisation="Subtel")
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text="Spam and malware.")
    data = csv_bytes(
        [
            "Respondent ID",
            "Submitted",
            "Name",
            "Organisation",
            "Country",
            "Stakeholder group",
            "Consent to cite",
            "Q4",
        ],  # fmt: skip
        [[respondent.pk, "2013-09-01", respondent.name, "Subtel", "BR", "Governments", "Yes", ""]],
    )
    preview = _preview(secretariat_client, "chile.csv", data)
    text = preview.content.decode()
    assert "1 answer will be removed" in text
    assert "Row 2, Government of Chile, Subtel: Q4 (“Spam and malware.”)" in text
    _confirm(secretariat_client, preview)
    assert not respondent.answers.exists()


def test_confirming_a_stale_preview_writes_nothing(secretariat_client, questionnaire):
    preview = _preview(secretariat_client, "responses_excel.xlsx")
    RespondentFactory(
        name="Nominet", organisation="Nominet UK", submitted_at="2013-09-02T13:05:00Z"
    )  # someone adds the same respondent meanwhile: the file now updates instead of adding
    done = _confirm(secretariat_client, preview)
    assert "Nothing was imported. The responses were changed by someone else" in (
        done.content.decode()
    )
    assert Respondent.objects.count() == 1


def test_unreadable_upload_is_a_clear_form_error(secretariat_client, questionnaire):
    response = _preview(secretariat_client, "broken.xlsx", b"PK\x03\x04 broken")
    assert "Not a readable XLSX file" in response.content.decode()


def test_only_the_secretariat_imports(questionnaire):
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_respondent", "change_respondent"])
    )
    client = Client()
    client.force_login(clerk)
    assert client.get(IMPORT).status_code == 403
    changelist = client.get(reverse("admin:issues_respondent_changelist")).content.decode()
    assert IMPORT not in changelist


def test_changelist_offers_import_downloads_and_publications(secretariat_client, questionnaire):
    hidden = RespondentFactory(name="Not cited", consent_to_cite=False)
    AnswerFactory(respondent=hidden, question=questionnaire["Q4"], text="Private.")
    text = secretariat_client.get(reverse("admin:issues_respondent_changelist")).content.decode()
    assert IMPORT in text
    assert reverse("issues:question-export", args=["docx"]) in text
    assert reverse("issues:respondent-export", args=["xlsx"]) in text
    response = secretariat_client.get(reverse("admin:issues_respondent_download"))
    workbook = load_workbook(filename=io.BytesIO(response.content))
    rows = list(workbook["Responses"].iter_rows(values_only=True))
    assert rows[0][:7] == ("Respondent ID", "Submitted", "Name", "Organisation", "Country",
                           "Stakeholder group", "Consent to cite")  # fmt: skip
    assert rows[1][0] == hidden.pk and rows[1][6] == "No"  # the admin's copy keeps everyone
    assert "Private." in rows[1]
    action = secretariat_client.post(
        reverse("admin:issues_respondent_changelist"),
        {"action": "download_import_format", "_selected_action": [hidden.pk]},
    )
    assert action["Content-Type"].startswith("application/vnd.openxmlformats")


def _answer_form(answer, sources: list[dict]) -> dict:
    data = {
        "respondent": answer.respondent_id,
        "question": answer.question_id,
        "text": answer.text,
        "issue_sources-TOTAL_FORMS": str(len(sources)),
        "issue_sources-INITIAL_FORMS": "0",
        # The version of the answer the form was read at, as the change form carries it.
        VERSION_FIELD: version_token(Answer, answer.pk, version_of(answer)),
    }
    for index, source in enumerate(sources):
        for name, value in source.items():
            data[f"issue_sources-{index}-{name}"] = value
    return data


def test_secretariat_links_an_answer_to_the_issues_it_raises(secretariat_client):
    answer = AnswerFactory(text="We see net neutrality and the cost of access as key issues.")
    issue = IssueFactory(title="Net neutrality")
    url = reverse("admin:issues_answer_change", args=[answer.pk])
    response = secretariat_client.post(
        url, _answer_form(answer, [{"issue": issue.pk, "excerpt": "net neutrality and the cost"}])
    )
    assert response.status_code == 302
    assert IssueSource.objects.get().issue == issue


def test_excerpt_that_is_not_a_passage_of_the_answer_is_refused(secretariat_client):
    answer = AnswerFactory(text="We see net neutrality as a key issue.")
    issue = IssueFactory(title="Net neutrality")
    url = reverse("admin:issues_answer_change", args=[answer.pk])
    response = secretariat_client.post(
        url, _answer_form(answer, [{"issue": issue.pk, "excerpt": "network neutrality"}])
    )
    assert response.status_code == 200
    assert "The excerpt must be a passage of the answer, word for word" in (
        response.content.decode()
    )
    assert not IssueSource.objects.exists()


def test_answer_text_cannot_drop_a_quoted_passage(secretariat_client):
    source = IssueSourceFactory(answer__text="Spam and net neutrality.", excerpt="net neutrality")
    answer = source.answer
    data = _answer_form(answer, [])
    data["text"] = "Only spam."
    response = secretariat_client.post(
        reverse("admin:issues_answer_change", args=[answer.pk]), data
    )
    assert response.status_code == 200
    assert "quotes “net neutrality” from this answer" in response.content.decode()


def test_issue_admin_sources_inline_checks_the_excerpt_too(secretariat_client):
    answer = AnswerFactory(text="Cybercrime and spam.")
    issue = IssueFactory(title="Spam")
    form = secretariat_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert form.status_code == 200
    source = IssueSource(issue=issue, answer=answer, excerpt="phishing")
    with pytest.raises(Exception, match="passage of the answer"):
        source.full_clean()


def test_large_file_is_imported_in_the_background(
    secretariat_client, questionnaire, monkeypatch, settings, secretariat_user
):
    monkeypatch.setattr(RespondentAdmin, "BACKGROUND_ROWS", 5)
    # The worker's backend, not the tests' immediate one: the task waits in the database.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    preview = _preview(secretariat_client, "responses_excel.xlsx")
    assert preview.context["confirm_form"].initial["background"] is True
    done = _confirm(secretariat_client, preview)  # the tasks of the database backend
    text = done.content.decode()
    assert "it is being imported in the background" in text
    assert Respondent.objects.count() == 0
    result = DBTaskResult.objects.get()
    assert (
        secretariat_client.get(
            reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])
        ).status_code
        == 200
    )
    # What the worker (manage.py db_worker) runs, with the arguments the task was queued with.
    assert result.task_path == "issues.tasks.responses_import_run"
    outcome = responses_import_run.call(**result.args_kwargs["kwargs"])
    assert outcome["summary"].startswith("9 created") and outcome["written"]
    assert Respondent.objects.count() == 9
    assert Respondent.history.filter(history_user=secretariat_user).count() == 9
    assert not any(settings.MEDIA_ROOT.rglob("imports/*"))  # the stored file is removed
