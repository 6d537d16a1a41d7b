"""A long task whose worker never comes: after a few seconds its page says so plainly, with how to
start one, instead of waiting in silence (imports, documents in preparation, report sending)."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from issues.models import ResponsesImport
from issues.services.response_uploads import responses_prepare_task, responses_upload
from mechanisms.models import MapImport
from reports.models import DocumentExport
from reports.services import report_compose, report_send
from tests.factories import DeliverableFactory, DocumentExportFactory, ParticipantFactory
from tests.issues.conftest import _questionnaire
from wgec.models import Participant
from wgec.workers import WORKER_GRACE, waiting_for_worker

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "issues" / "files"
MAP_FILES = Path(__file__).resolve().parent.parent / "mechanisms" / "files"
NO_WORKER = "No worker has started this task yet."
HOW = "<code>python manage.py db_worker</code> (<code>make serve</code> starts one)"


@pytest.fixture
def queued_tasks(settings):
    """The worker's backend: tasks wait in the database, and no worker runs in the tests."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def _age_the_queue(seconds: float) -> None:
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_responses_import_nobody_takes_says_so_after_the_grace(
    secretariat_client, queued_tasks, django_assert_max_num_queries
):
    _questionnaire()
    page = secretariat_client.post(
        reverse("admin:issues_respondent_import"),
        {
            "import_file": SimpleUploadedFile(
                "r.xlsx", (FILES / "responses_excel.xlsx").read_bytes()
            )
        },
        follow=True,
    )
    upload = ResponsesImport.objects.get()
    assert upload.task_id == str(DBTaskResult.objects.get().id)
    status = reverse("admin:issues_respondent_import_status", args=[upload.pk])
    # Just queued: the page keeps the message hidden, and the status says no.
    assert "data-no-worker hidden>" in page.content.decode()
    assert secretariat_client.get(status).json()["waiting_for_worker"] is False

    _age_the_queue(WORKER_GRACE.total_seconds() + 1)
    with django_assert_max_num_queries(6):  # the session, the user, the import, its task
        assert secretariat_client.get(status).json()["waiting_for_worker"] is True
    text = secretariat_client.get(page.request["PATH_INFO"]).content.decode()
    assert "data-no-worker>" in text and NO_WORKER in text and HOW in text

    # Once a worker has done its part, nothing waits any more.
    responses_prepare_task.call(**DBTaskResult.objects.get().args_kwargs["kwargs"])
    assert secretariat_client.get(status).json()["waiting_for_worker"] is False


def test_a_started_task_is_not_waiting_for_a_worker(queued_tasks, secretariat_user):
    _questionnaire()
    upload = responses_upload(
        file=SimpleUploadedFile("r.xlsx", (FILES / "responses_excel.xlsx").read_bytes()),
        filename="r.xlsx",
        user=secretariat_user,
    )
    _age_the_queue(60)
    assert waiting_for_worker(upload.task_id) is True
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert waiting_for_worker(upload.task_id) is False
    assert waiting_for_worker("") is False


def test_a_task_due_later_is_not_waiting_yet(queued_tasks):
    result = responses_prepare_task.using(
        run_after=timezone.now() + datetime.timedelta(minutes=5)
    ).enqueue(import_id=1)
    _age_the_queue(60)
    assert waiting_for_worker(str(result.id)) is False


def test_the_immediate_backend_never_waits(secretariat_user):
    # The tests' own backend runs each task as it is queued: nothing is ever left waiting.
    upload = MapImport.objects.create(filename="m.xlsx", state="reading", task_id="x")
    assert upload.waiting_for_worker is False


def test_a_map_import_nobody_takes_says_so(secretariat_client, queued_tasks):
    secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {
            "files": SimpleUploadedFile(
                "map.xlsx", (MAP_FILES / "map-libreoffice-edited.xlsx").read_bytes()
            )
        },
    )
    upload = MapImport.objects.get()
    status = reverse("admin:issues_issue_map_import_status", args=[upload.pk])
    assert secretariat_client.get(status).json()["waiting_for_worker"] is False
    _age_the_queue(60)
    assert secretariat_client.get(status).json()["waiting_for_worker"] is True


def test_a_document_nobody_prepares_says_so_on_the_dashboard(coordinator_client, queued_tasks):
    export = DocumentExportFactory()
    assert NO_WORKER not in coordinator_client.get(reverse("reports:dashboard")).content.decode()
    DocumentExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = coordinator_client.get(reverse("reports:dashboard")).content.decode()
    assert NO_WORKER in page and HOW in page
    pending = coordinator_client.get(reverse("reports:export-download", args=[export.pk]))
    assert NO_WORKER in pending.content.decode()
    DocumentExport.objects.filter(pk=export.pk).update(state=DocumentExport.State.RUNNING)
    assert NO_WORKER not in coordinator_client.get(reverse("reports:dashboard")).content.decode()


def test_a_report_nobody_sends_says_so_on_its_page(
    coordinator_client, coordinator_user, queued_tasks, django_capture_on_commit_callbacks
):
    ParticipantFactory(role=Participant.Role.CHAIR, email="chair@example.org")
    deliverable = DeliverableFactory(slug="update-1", title="First update report")
    preview = report_compose(now=timezone.now(), deliverable=deliverable, introduction="Ready.")
    with django_capture_on_commit_callbacks(execute=True):
        report_send(
            deliverable=deliverable,
            introduction="Ready.",
            fingerprint=preview.fingerprint,
            user=coordinator_user,
        )
    assert DBTaskResult.objects.filter(task_path__endswith="report_deliver_task").exists()
    assert NO_WORKER not in coordinator_client.get("/reports/update-1/").content.decode()
    _age_the_queue(60)
    page = coordinator_client.get("/reports/update-1/").content.decode()
    assert NO_WORKER in page and HOW in page
