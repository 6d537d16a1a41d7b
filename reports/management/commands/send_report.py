"""Send a deliverable's report to the Chair and the mailing list, and wait until it has gone."""

import logging
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from reports import services
from reports.models import Deliverable, Delivery, Report, Subscriber
from reports.previewing import report_message_preview
from wgec.models import Participant


class Command(BaseCommand):
    help = (
        "Send the report of a deliverable (e.g. update-1) to the Chair and the mailing list, "
        "or resume sending one already sent, then wait until sending has finished and print "
        "the counts. With --dry-run, say what would be sent, print the message the Chair "
        "would receive and the number of recipients, and write nothing. With --eml FILE, write "
        "that message whole (MIME) to FILE for a mail client to open, and send nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="the deliverable, e.g. update-1")
        parser.add_argument("--dry-run", action="store_true", help="write and send nothing")
        parser.add_argument(
            "--eml",
            metavar="FILE",
            help="write the Chair's message to FILE (.eml) and send nothing",
        )
        parser.add_argument(
            "--wait-for-worker",
            type=float,
            default=5.0,
            help="seconds to leave the task to a running worker before running it here",
        )

    def handle(self, *, slug: str, dry_run: bool, wait_for_worker: float, **options) -> None:
        # A slug with control characters names nothing (and PostgreSQL refuses a NUL in a query).
        deliverable = Deliverable.objects.filter(slug=slug).first() if slug.isprintable() else None
        if deliverable is None:
            slugs = ", ".join(Deliverable.objects.values_list("slug", flat=True)) or "none"
            shown = slug if slug.isprintable() else repr(slug)
            raise CommandError(f"No deliverable “{shown[:100]}”. The deliverables are: {slugs}.")
        report = Report.objects.filter(deliverable=deliverable).first()
        if dry_run or options.get("eml"):
            self._show_message(deliverable, eml=options.get("eml"), print_text=dry_run)
        if dry_run:
            self._dry_run(deliverable, report)
            return
        if options.get("eml"):
            return
        if report is None or not report.is_sent:
            try:
                report = services.report_send(
                    deliverable=deliverable,
                    introduction=report.introduction if report else "",
                    issued_on=report.issued_on if report else None,
                )
            except services.ReportError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Sent “{deliverable}”: frozen and published; delivering…")
        else:
            services.report_resume(report=report)
            self.stdout.write(
                f"“{deliverable}” was sent on {deliverable.sent_on:%-d %B %Y}; resuming…"
            )
        counts = self._wait(report, wait_for_worker)
        self.stdout.write(
            f"Sent {counts['sent']}, failed {counts['failed']}, "
            f"need attention {counts['attention']}, pending {counts['pending']} "
            f"(of {counts['total']} addresses)."
        )
        if counts["failed"] or counts["attention"]:
            self.stdout.write("See the report page for the failures.")

    def _dry_run(self, deliverable: Deliverable, report: Report | None) -> None:
        with transaction.atomic():
            if report is None or not report.is_sent:
                composed = services.report_preview(
                    deliverable=deliverable,
                    introduction=report.introduction if report else "",
                    issued_on=deliverable.prepared_issued_on(timezone.now()),
                )
                chairs = Participant.objects.filter(role=Participant.Role.CHAIR).exclude(email="")
                listed = set(Subscriber.objects.subscribed().values_list("email", flat=True))
                unlisted = {
                    email.lower()
                    for email in Participant.objects.exclude(email="").values_list(
                        "email", flat=True
                    )
                } - set(Subscriber.objects.values_list("email", flat=True))
                self.stdout.write(f"Would send “{composed.subject}”")
                for chair in chairs:
                    self.stdout.write(f"  to the Chair: {chair.display_name} <{chair.email}>")
                others = (listed | unlisted) - {chair.email.lower() for chair in chairs}
                self.stdout.write(f"  to {len(others)} address(es) of the mailing list")
            else:
                counts = report.delivery_counts()
                self.stdout.write(
                    f"“{deliverable}” was sent on {deliverable.sent_on:%-d %B %Y}: "
                    f"{counts['pending']} pending would be sent; {counts['sent']} sent, "
                    f"{counts['failed']} failed, {counts['attention']} need attention."
                )
            transaction.set_rollback(True)
        self.stdout.write("Dry run: nothing written, nothing sent.")

    def _show_message(self, deliverable: Deliverable, *, eml: str | None, print_text: bool) -> None:
        """Print the text of the Chair's message and its number of recipients, and/or write
        the whole message to an .eml file."""
        preview = report_message_preview(deliverable=deliverable)
        if eml:
            path = Path(eml)
            if path.suffix.lower() != ".eml":
                raise CommandError(f"--eml: {eml} should end in .eml (a message file).")
            try:
                path.write_bytes(preview.as_bytes())
            except OSError as error:
                raise CommandError(f"--eml: cannot write {eml}: {error.strerror}.") from None
            self.stdout.write(f"Wrote the Chair's message to {path} ({path.stat().st_size} bytes).")
        if not print_text:
            return
        message = preview.message
        state = "as sent" if preview.sent else "as it would be sent now"
        self.stdout.write(f"The message to the Chair, {state}:")
        self.stdout.write(f"From: {message.from_email}")
        self.stdout.write(f"To: {', '.join(message.to)}")
        self.stdout.write(f"Subject: {message.subject}")
        self.stdout.write("")
        self.stdout.write(message.body)
        self.stdout.write("")
        if not preview.chair_known:
            self.stdout.write("No participant is the Chair with an e-mail address.")
        recipients = "was sent to" if preview.sent else "would go to"
        self.stdout.write(
            f"Recipients: the message {recipients} {preview.recipients} address(es), "
            "each its own copy."
        )

    def _wait(self, report: Report, wait_for_worker: float) -> dict:
        """Until nothing is pending or being sent, printing progress; runs the sending here when
        no worker does. Stops with an error when only later retries are left (the SMTP server
        refused): they stay pending for the worker."""
        worker = f"send_report-{get_random_string(8)}"
        waited = 0.0
        last = None
        while True:
            counts = report.delivery_counts()
            if not counts["pending"] and not counts["sending"]:
                return counts
            if counts != last:
                self._progress(counts)
                last = counts
            if waited >= wait_for_worker:
                services.deliveries_mark_stale(report_id=report.pk)
                report.refresh_from_db(fields=["task_id"])
                if self._run_here(report.task_id, worker):
                    waited = 0.0
                    after = report.delivery_counts()
                    if after["pending"] and _done(after) == _done(counts):
                        # A whole run here moved nothing on: the server refuses.
                        self._stop(report, after)
                    continue
                if not Delivery.objects.filter(
                    report=report, state=Delivery.State.SENDING, lease_until__gte=timezone.now()
                ).exists():
                    # No worker holds a delivery: what can go now goes from here (a worker may
                    # have died holding the queued task); only later retries are left otherwise.
                    if Delivery.objects.claimable(timezone.now()).filter(report=report).exists():
                        services.report_sending_enqueue(report=report)
                        continue
                    self._stop(report, report.delivery_counts())
            time.sleep(0.5)
            waited += 0.5

    def _progress(self, counts: dict) -> None:
        self.stdout.write(
            f"  sent {counts['sent']} of {counts['total']}, "
            f"pending {counts['pending'] + counts['sending']}, failed {counts['failed']}, "
            f"need attention {counts['attention']}"
        )

    def _run_here(self, task_id: str, worker: str) -> bool:
        """Run the queued task here, printing the sending loop's progress as it goes."""
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("  %(message)s"))
        handler.setLevel(logging.INFO)
        sending_log = logging.getLogger("reports.sending")
        level = sending_log.level
        sending_log.addHandler(handler)
        if not sending_log.isEnabledFor(logging.INFO):
            sending_log.setLevel(logging.INFO)
        try:
            return run_queued_task_here(task_id, worker)
        finally:
            sending_log.removeHandler(handler)
            sending_log.setLevel(level)

    def _stop(self, report: Report, counts: dict) -> None:
        pending = Delivery.objects.filter(report=report, state=Delivery.State.PENDING)
        # The delivery the run stopped on: postponed until the retry queued for the worker.
        stopped_on = (
            pending.exclude(last_error="")
            .order_by("-available_at")
            .values("available_at", "last_error")
            .first()
        )
        reason = stopped_on["last_error"] if stopped_on else ""
        when = (
            timezone.localtime(max(stopped_on["available_at"], timezone.now()))
            if stopped_on
            else None
        )
        raise CommandError(
            f"Sending stopped: {reason or 'the retries are not due yet'}. "
            f"Sent {counts['sent']}, failed {counts['failed']}, "
            f"need attention {counts['attention']}; {counts['pending']} of {counts['total']} "
            f"addresses are left pending for the task worker"
            + (f", next try at {when:%Y-%m-%d %H:%M:%S %Z}" if when else "")
            + f" (or run “send_report {report.deliverable.slug}” again)."
        )


def _done(counts: dict) -> tuple[int, int, int]:
    return counts["sent"], counts["failed"], counts["attention"]


def run_queued_task_here(task_id: str, worker: str) -> bool:
    """Claim the queued task exactly as a worker would and run it in this process.

    The claim locks the task's row, so a worker and this command never both run it.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    from reports.tasks import report_deliver_task

    backend = report_deliver_task.get_backend()
    if not task_id or not isinstance(backend, DatabaseBackend):
        return False
    with exclusive_transaction():
        row = DBTaskResult.objects.ready().filter(id=task_id).get_locked()
        if row is None:
            return False
        row.claim(worker)
    Worker(
        queue_names=[row.queue_name],
        interval=0,
        batch=True,
        backend_name=row.backend_name,
        startup_delay=False,
        max_tasks=1,
        worker_id=worker,
        excluded_queue_names=[],
    ).run_task(row)
    return True
