import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import Deliverable, Delivery, Report, Subscriber
from tests.factories import DeliverableFactory, ParticipantFactory
from wgec.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def audience(db):
    ParticipantFactory(name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org")
    Subscriber.objects.create(email="ana@example.org", state="subscribed")
    Subscriber.objects.create(email="gone@example.org", state="subscribed")
    return DeliverableFactory(slug="update-1", title="First update report")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("send_report", *args, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_would_be_sent_and_writes_nothing(audience, smtp_server):
    output = _run("update-1", "--dry-run")
    assert "Would send “[WGEC] First update report”" in output
    assert "to the Chair: Ms. Peter Major <chair@example.org>" in output
    assert "to 2 address(es) of the mailing list" in output
    assert "nothing written, nothing sent" in output
    assert not Report.objects.exists() and not Delivery.objects.exists()
    assert Subscriber.objects.count() == 2
    assert smtp_server.received == []


def test_send_report_sends_waits_and_prints_the_counts(audience, smtp_server):
    smtp_server.reject.add("gone@example.org")
    output = _run("update-1")
    assert "Sent 2, failed 1, need attention 0, pending 0 (of 3 addresses)." in output
    assert len(smtp_server.received) == 2
    audience.refresh_from_db()
    assert audience.state == Deliverable.State.SENT
    again = _run("update-1")
    assert "resuming" in again and "Sent 2, failed 1" in again
    assert len(smtp_server.received) == 2


def test_without_a_worker_the_command_runs_the_queued_task_itself(audience, smtp_server, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    output = _run("update-1", "--wait-for-worker", "0.5")
    assert "Sent 3, failed 0" in output
    from django_tasks_db.models import DBTaskResult

    [task] = DBTaskResult.objects.all()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0].startswith("send_report-")


def test_an_unknown_deliverable_is_a_clear_error(audience):
    with pytest.raises(
        CommandError, match="No deliverable “update-9”. The deliverables are: update-1"
    ):
        _run("update-9")
