"""Send a deliverable's report to the Chair and the mailing list, and wait until it has gone."""

import logging
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
            raise CommandError(
                _("No deliverable “%(slug)s”. The deliverables are: %(slugs)s.")
                % {"slug": shown[:100], "slugs": slugs}
            )
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
            self.stdout.write(
                _("Sent “%(deliverable)s”: frozen and published; delivering…")
                % {"deliverable": deliverable}
            )
        else:
            services.report_resume(report=report)
            self.stdout.write(
                _("“%(deliverable)s” was sent on %(day)s; resuming…")
                % {
                    "deliverable": deliverable,
                    "day": date_format(deliverable.sent_on, "DATE_FORMAT"),
                }
            )
        counts = self._wait(report, wait_for_worker)
        self.stdout.write(
            _(
                "Sent %(sent)s, failed %(failed)s, need attention %(attention)s, pending "
                "%(pending)s (of %(total)s addresses)."
            )
            % counts
        )
        if counts["failed"] or counts["attention"]:
            self.stdout.write(_("See the report page for the failures."))

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
                self.stdout.write(_("Would send “%(subject)s”") % {"subject": composed.subject})
                for chair in chairs:
                    self.stdout.write(
                        "  "
                        + _("to the Chair: %(name)s <%(email)s>")
                        % {"name": chair.display_name, "email": chair.email}
                    )
                others = (listed | unlisted) - {chair.email.lower() for chair in chairs}
                self.stdout.write(
                    "  "
                    + _("to %(count)s address(es) of the mailing list") % {"count": len(others)}
                )
            else:
                counts = report.delivery_counts()
                self.stdout.write(
                    _(
                        "“%(deliverable)s” was sent on %(day)s: %(pending)s pending would be "
                        "sent; %(sent)s sent, %(failed)s failed, %(attention)s need attention."
                    )
                    % {
                        **counts,
                        "deliverable": deliverable,
                        "day": date_format(deliverable.sent_on, "DATE_FORMAT"),
                    }
                )
            transaction.set_rollback(True)
        self.stdout.write(_("Dry run: nothing written, nothing sent."))

    def _show_message(self, deliverable: Deliverable, *, eml: str | None, print_text: bool) -> None:
        """Print the text of the Chair's message and its number of recipients, and/or write
        the whole message to an .eml file."""
        preview = report_message_preview(deliverable=deliverable)
        if eml:
            path = Path(eml)
            if path.suffix.lower() != ".eml":
                raise CommandError(
                    _("--eml: %(file)s should end in .eml (a message file).") % {"file": eml}
                )
            try:
                path.write_bytes(preview.as_bytes())
            except OSError as error:
                raise CommandError(
                    _("--eml: cannot write %(file)s: %(error)s.")
                    % {"file": eml, "error": error.strerror}
                ) from None
            self.stdout.write(
                _("Wrote the Chair's message to %(file)s (%(size)s bytes).")
                % {"file": path, "size": path.stat().st_size}
            )
        if not print_text:
            return
        message = preview.message
        if preview.sent:
            self.stdout.write(_("The message to the Chair, as sent:"))
        else:
            self.stdout.write(_("The message to the Chair, as it would be sent now:"))
        # The message's own header names, as a mail client shows them.
        self.stdout.write(f"From: {message.from_email}")
        self.stdout.write(f"To: {', '.join(message.to)}")
        self.stdout.write(f"Subject: {message.subject}")
        self.stdout.write("")
        self.stdout.write(message.body)
        self.stdout.write("")
        if not preview.chair_known:
            self.stdout.write(_("No participant is the Chair with an e-mail address."))
        if preview.sent:
            recipients = _(
                "Recipients: the message was sent to %(count)s address(es), each its own copy."
            )
        else:
            recipients = _(
                "Recipients: the message would go to %(count)s address(es), each its own copy."
            )
        self.stdout.write(recipients % {"count": preview.recipients})

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
            "  "
            + _(
                "sent %(sent)s of %(total)s, pending %(pending)s, failed %(failed)s, need "
                "attention %(attention)s"
            )
            % {**counts, "pending": counts["pending"] + counts["sending"]}
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
        values = {
            **counts,
            "reason": reason or _("the retries are not due yet"),
            "slug": report.deliverable.slug,
            "when": f"{when:%Y-%m-%d %H:%M:%S %Z}" if when else "",
        }
        if when:
            message = _(
                "Sending stopped: %(reason)s. Sent %(sent)s, failed %(failed)s, need attention "
                "%(attention)s; %(pending)s of %(total)s addresses are left pending for the task "
                "worker, next try at %(when)s (or run “send_report %(slug)s” again)."
            )
        else:
            message = _(
                "Sending stopped: %(reason)s. Sent %(sent)s, failed %(failed)s, need attention "
                "%(attention)s; %(pending)s of %(total)s addresses are left pending for the task "
                "worker (or run “send_report %(slug)s” again)."
            )
        raise CommandError(message % values)


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
