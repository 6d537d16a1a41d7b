"""The secretariat's admin: importing responses (preview, then confirm), downloads, and linking
answers to the issues they raise."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from issues.models import Answer, IssueSource, Respondent, ResponsesImport
from issues.services.response_uploads import responses_apply_task, responses_prepare_task
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

pytestmark = pytest.mark.django_db


def _preview(client, name: str, data: bytes | None = None, date_order: str = ""):
    """Upload a file; the tests' task backend reads it at once, so the page the upload leads to
    shows the preview."""
    data = (FILES / name).read_bytes() if data is None else data
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"import_file": upload, "date_order": date_order}, follow=True)


def _confirm(client, preview):
    return client.post(
        preview.request["PATH_INFO"], {"digest": preview.context["preview"]["digest"]}, follow=True
    )


def test_secretariat_previews_then_confirms_a_file(secretariat_client, questionnaire):
    preview = _preview(secretariat_client, "responses_excel.xlsx")
    text = preview.content.decode()
    assert "9 created, 0 updated, 0 unchanged (skipped)" in text
    assert "Internet Society of China" in text
    assert Respondent.objects.count() == 0  # the preview writes nothing
    done = _confirm(secretariat_client, preview)
    assert "9 created, 0 updated, 0 unchanged (skipped)" in done.content.decode()
    assert done.context["upload"].state == "applied"
    assert Respondent.objects.count() == 9
    assert Answer.objects.count() == 11
    assert Respondent.history.filter(history_user__username="secretariat").count() == 9
    # The same file again: nothing to do.
    again = _preview(secretariat_client, "responses_excel.xlsx")
    assert "0 created, 0 updated, 9 unchanged (skipped)" in again.content.decode()
    assert "9 rows match the database and will be skipped" in again.content.decode()


def test_bad_file_lists_every_error_by_row_and_column_and_offers_no_confirm(
    secretariat_client, questionnaire
):
    preview = _preview(secretariat_client, "responses_errors.csv")
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
    expected = (
        "The responses were changed by someone else since you saw the preview, so nothing was "
        "written."
    )
    assert expected in done.content.decode()
    assert Respondent.objects.count() == 1


def test_unreadable_upload_is_a_clear_form_error(secretariat_client, questionnaire):
    response = _preview(secretariat_client, "broken.xlsx", b"PK\x03\x04 broken")
    assert "is not a readable XLSX file" in response.content.decode()


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


def test_upload_is_stored_and_read_by_a_worker_whose_progress_the_page_follows(
    secretariat_client, questionnaire, settings, secretariat_user, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # The worker's backend, not the tests' immediate one: the tasks wait in the database.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page = _preview(secretariat_client, "responses_excel.xlsx")
    upload = ResponsesImport.objects.get()
    assert upload.state == "reading" and Respondent.objects.count() == 0
    assert upload.file.name.startswith("imports/responses/")
    assert (tmp_path / upload.file.name).read_bytes() == (
        FILES / "responses_excel.xlsx"
    ).read_bytes()  # stored in media storage, where every worker reaches it
    text = page.content.decode()
    assert "<progress" in text and "js/import_progress.js" in text
    assert "<script>" not in text  # no inline script: the progress is followed by a static file
    status = reverse("admin:issues_respondent_import_status", args=[upload.pk])
    assert secretariat_client.get(status).json() == {
        "state": "reading",
        "label": "Reading the file",
        "working": True,
        "done": 0,
        "total": 0,
        "progress_text": "",  # no row read yet
        "waiting_for_worker": False,  # not yet: a worker has a few seconds to take it
    }
    # What the worker (manage.py db_worker) runs, with the arguments the task was queued with.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "issues.services.response_uploads.responses_prepare_task"
    responses_prepare_task.call(**queued.args_kwargs["kwargs"])
    assert secretariat_client.get(status).json()["total"] == 9
    preview = secretariat_client.get(page.request["PATH_INFO"])
    assert "9 created, 0 updated, 0 unchanged (skipped)" in preview.content.decode()
    _confirm(secretariat_client, preview)
    assert Respondent.objects.count() == 0
    queued = DBTaskResult.objects.exclude(pk=queued.pk).get()
    responses_apply_task.call(**queued.args_kwargs["kwargs"])
    assert Respondent.objects.count() == 9
    assert Respondent.history.filter(history_user=secretariat_user).count() == 9
    assert not any(tmp_path.rglob("imports/responses/*"))  # imported: the stored file is removed


def test_date_order_chosen_in_the_form_reads_dates_that_fit_both_orders(
    secretariat_client, questionnaire
):
    data = csv_bytes(
        ["Submitted", "Name", "Organisation", "Country", "Stakeholder group", "Consent to cite"],
        [["9/2/2013", "Government of Brazil", "", "BR", "Government", "Yes"]],
    )
    refused = _preview(secretariat_client, "form.csv", data)
    assert "say which order the file uses" in refused.content.decode()
    preview = _preview(secretariat_client, "form.csv", data, date_order="mdy")
    _confirm(secretariat_client, preview)
    respondent = Respondent.objects.get()
    assert timezone.localdate(respondent.submitted_at).isoformat() == "2013-09-02"


def test_import_pages_keep_a_query_budget_however_many_rows_the_file_has(
    secretariat_client, questionnaire, django_assert_max_num_queries
):
    rows = [
        ["", "2013-09-02", f"Respondent {n}", "", "BR", "Government", "Yes", f"Answer {n}."]
        for n in range(300)
    ]
    headers = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
               "Stakeholder group", "Consent to cite", "Q4"]  # fmt: skip
    page = _preview(secretariat_client, "many.csv", csv_bytes(headers, rows))
    assert "300 created" in page.content.decode()
    upload = page.context["upload"]
    with django_assert_max_num_queries(8):
        secretariat_client.get(page.request["PATH_INFO"])
    with django_assert_max_num_queries(6):
        secretariat_client.get(reverse("admin:issues_respondent_import_status", args=[upload.pk]))
    with django_assert_max_num_queries(8):
        secretariat_client.get(IMPORT)


def test_import_command_in_background_leaves_the_file_to_a_worker(questionnaire, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    out = io.StringIO()
    call_command(
        "import_responses", str(FILES / "responses_excel.xlsx"), "--in-background", stdout=out
    )
    upload = ResponsesImport.objects.get()
    address = reverse("admin:issues_respondent_import_preview", args=[upload.pk])
    assert out.getvalue().strip().endswith(address)
    assert upload.state == "reading" and upload.file.name.startswith("imports/responses/")
    assert Respondent.objects.count() == 0
    queued = DBTaskResult.objects.get()
    responses_prepare_task.call(**queued.args_kwargs["kwargs"])
    upload.refresh_from_db()
    assert upload.state == "ready" and upload.preview["counts"] == {"create": 9}
