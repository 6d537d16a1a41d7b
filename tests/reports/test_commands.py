import io
from email import message_from_bytes, policy

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


def test_dry_run_prints_the_chairs_message_and_the_number_of_recipients(audience, smtp_server):
    output = _run("update-1", "--dry-run")
    assert "The message to the Chair, as it would be sent now:" in output
    assert 'To: "Ms. Peter Major" <chair@example.org>' in output
    assert "Subject: [WGEC] First update report\n" in output
    assert "Dear Chair,\n" in output and "PROGRESS AGAINST THE TERMS OF REFERENCE" in output
    assert "NEXT DEADLINES" in output
    assert "Recipients: the message would go to 3 address(es), each its own copy." in output
    assert not Report.objects.exists() and not Delivery.objects.exists()
    assert Subscriber.objects.count() == 2
    assert smtp_server.received == []


def test_eml_writes_the_whole_message_for_a_mail_client(audience, smtp_server, tmp_path):
    path = tmp_path / "update-1.eml"
    output = _run("update-1", "--eml", str(path))
    assert f"Wrote the Chair's message to {path}" in output
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["Subject"] == "[WGEC] First update report"
    assert message["To"].addresses[0].addr_spec == "chair@example.org"
    assert message["From"] and message["Date"] and message["Message-ID"]
    assert message.get_body(("plain",)).get_content().startswith("Dear Chair,")
    html = message.get_body(("html",)).get_content()
    assert "<h2>Progress against the terms of reference</h2>" in html
    assert not Report.objects.exists() and not Delivery.objects.exists()
    assert smtp_server.received == []


def test_eml_of_a_sent_report_is_the_message_the_chair_received(audience, smtp_server, tmp_path):
    ParticipantFactory(email="member@example.org")
    _run("update-1")
    [received] = smtp_server.to("chair@example.org")
    path = tmp_path / "sent.eml"
    output = _run("update-1", "--eml", str(path), "--dry-run")
    assert "as sent" in output and "Recipients: the message was sent to 4 address(es)" in output
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    sent = received.message
    for part in ("plain", "html"):
        assert message.get_body((part,)).get_content() == sent.get_body((part,)).get_content()
    assert message["Subject"] == sent["Subject"]
    assert message["List-Unsubscribe"] == sent["List-Unsubscribe"]
    delivery = Delivery.objects.get(to_chair=True)
    assert message["Date"].datetime == delivery.sent_at.replace(microsecond=0)
    assert len(smtp_server.received) == 4


def test_eml_names_the_file_it_cannot_write(audience, tmp_path):
    with pytest.raises(CommandError, match=r"--eml: .*report\.txt should end in \.eml"):
        _run("update-1", "--eml", str(tmp_path / "report.txt"))
    with pytest.raises(CommandError, match=r"--eml: cannot write .*missing/report\.eml"):
        _run("update-1", "--eml", str(tmp_path / "missing" / "report.eml"))
    assert not Report.objects.exists()


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_send_report_prints_progress_as_it_sends(audience, smtp_server, settings):
    settings.TASKS = DB_TASKS
    output = _run("update-1", "--wait-for-worker", "0")
    assert "“First update report”: sent 3 of 3, failed 0, need attention 0, pending 0" in output


def test_when_the_smtp_server_refuses_send_report_says_so_and_leaves_the_rest_pending(
    audience, settings
):
    from tests.reports.conftest import _free_port

    settings.TASKS = DB_TASKS
    port = _free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    with pytest.raises(CommandError) as raised:
        _run("update-1", "--wait-for-worker", "0")
    message = str(raised.value)
    assert f"Sending stopped: the SMTP server 127.0.0.1:{port} cannot be used" in message
    assert "ConnectionRefusedError" in message
    assert "3 of 3 addresses are left pending for the task worker, next try at" in message
    report = Report.objects.get()
    assert report.delivery_counts()["pending"] == 3
    from django_tasks_db.models import DBTaskResult

    # The worker is left a task to try again when the first delivery is due.
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_send_report_finishes_what_a_worker_that_died_had_claimed(audience, smtp_server, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reports import services

    settings.TASKS = DB_TASKS
    report = services.report_send(deliverable=audience, introduction="")
    # A worker took the task and claimed every delivery, then died without a word.
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    expired = timezone.now() - datetime.timedelta(seconds=1)
    Delivery.objects.filter(report=report).update(
        state="sending", claimed_by="dead-worker:1", claimed_at=expired, lease_until=expired
    )
    output = _run("update-1", "--wait-for-worker", "0")
    assert "Sent 3, failed 0, need attention 0, pending 0 (of 3 addresses)." in output
    assert len(smtp_server.received) == 3
