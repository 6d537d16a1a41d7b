"""Sending a report's deliveries over the configured mailer, never twice to one address.

``report_deliver`` is the body of the sending task: it claims pending deliveries in batches
(``services.deliveries_claim``), sends each as its own message, and records the outcome.

Over SMTP the conversation is driven step by step, because a failure means different things at
different moments: refused before the message text was sent (MAIL FROM, RCPT TO, or a refusal
of DATA), the message was certainly not delivered and is retried (temporary 4xx) or failed
(permanent 5xx); lost while the text was being sent or before the server's answer, nobody can
know, so the delivery needs a person's attention instead of a second copy.
"""

import email.policy
import logging
import smtplib
import socket
import time
from enum import Enum

from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone
from django.utils.crypto import get_random_string

from reports import services
from reports.models import DocumentExport, Report
from reports.rendering import delivery_recipient, report_message, report_wording

logger = logging.getLogger(__name__)


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # certainly not delivered; may succeed later
    FAILED = "failed"  # certainly not delivered; will not succeed
    UNKNOWN = "unknown"  # may have been delivered


def _code_outcome(code: int) -> Outcome:
    return Outcome.RETRY if 400 <= code < 500 else Outcome.FAILED


class Mailer:
    """One connection for a run, reopened after an error."""

    def __init__(self) -> None:
        self.backend = mailers.default

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # closing a broken connection may fail; it is dropped anyway
            logger.debug("closing the mail connection failed", exc_info=True)
        if isinstance(self.backend, SMTPBackend):
            self.backend.connection = None

    def send(self, message) -> tuple[Outcome, str]:
        if isinstance(self.backend, SMTPBackend):
            return self._send_smtp(message)
        try:
            self.backend.send_messages([message])
        except Exception as error:
            return Outcome.UNKNOWN, f"{type(error).__name__}: {error}"
        return Outcome.SENT, ""

    def _send_smtp(self, message) -> tuple[Outcome, str]:
        backend = self.backend
        try:
            if backend.connection is None:
                backend.open()
            connection: smtplib.SMTP = backend.connection
            sender = backend.prep_address(message.from_email)
            [recipient] = [backend.prep_address(address) for address in message.recipients()]
            data = message.message(policy=email.policy.SMTP).as_bytes()
            connection.ehlo_or_helo_if_needed()
            code, answer = connection.mail(sender)
            if code != 250:
                connection.rset()
                return _code_outcome(
                    code
                ), f"sender refused: {code} {answer.decode(errors='replace')}"
            code, answer = connection.rcpt(recipient)
            if code not in (250, 251):
                connection.rset()
                return _code_outcome(
                    code
                ), f"recipient refused: {code} {answer.decode(errors='replace')}"
        except smtplib.SMTPResponseException as error:
            self.close()
            return Outcome.RETRY, f"{error.smtp_code} {error.smtp_error!r}"
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            self.close()
            return Outcome.RETRY, f"{type(error).__name__}: {error}"
        try:
            connection.data(data)
        except smtplib.SMTPDataError as error:
            # The server answered: it did not take the message.
            try:
                connection.rset()
            except (smtplib.SMTPException, OSError):
                self.close()
            text = (
                error.smtp_error.decode(errors="replace")
                if isinstance(error.smtp_error, bytes)
                else str(error.smtp_error)
            )
            return _code_outcome(error.smtp_code), f"message refused: {error.smtp_code} {text}"
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            self.close()
            return (
                Outcome.UNKNOWN,
                f"connection lost while sending: {type(error).__name__}: {error}",
            )
        return Outcome.SENT, ""


def _build_documents(report: Report) -> None:
    """The frozen documents of an initial output or final document, before anyone is told."""
    pending = DocumentExport.objects.filter(
        deliverable_id=report.deliverable_id, frozen=True, state=DocumentExport.State.PENDING
    ).values_list("pk", flat=True)
    for export_id in list(pending):
        services.document_export_build(export_id=export_id)


def report_deliver(*, report_id: int, worker: str | None = None, max_wait: float = 60.0) -> dict:
    """Send what is pending of a report; returns the counts by state.

    Retries that fall due within ``max_wait`` seconds are waited for; later ones are left to a
    task queued to run then (or to a person resuming the sending).
    """
    worker = worker or f"{socket.gethostname()}-{get_random_string(8)}"
    report = Report.objects.select_related("deliverable").get(pk=report_id)
    services.deliveries_mark_stale(report_id=report_id)
    if report.deliverable.has_documents:
        _build_documents(report)
    wording = report_wording(report)
    mailer = Mailer()
    try:
        while True:
            batch = services.deliveries_claim(report_id=report_id, worker=worker)
            if not batch:
                retry_at = services.next_retry_at(report_id=report_id)
                if retry_at is None:
                    break
                wait = (retry_at - timezone.now()).total_seconds()
                if wait > max_wait:
                    _queue_retry(report, retry_at)
                    break
                time.sleep(max(wait, 0))
                continue
            for delivery in batch:
                _deliver_one(mailer, report, delivery, wording)
    finally:
        mailer.close()
    return report.delivery_counts()


def _queue_retry(report: Report, retry_at) -> None:
    from reports.tasks import report_deliver_task

    if report_deliver_task.get_backend().supports_defer:
        services.report_sending_enqueue(report=report, run_after=retry_at)


def _deliver_one(mailer: Mailer, report: Report, delivery, wording) -> None:
    token = delivery.subscriber.token if delivery.subscriber else ""
    try:
        message = report_message(report, delivery_recipient(delivery, token), wording)
    except Exception as error:  # the message cannot be made: nothing was sent
        logger.exception("Cannot compose the message to %s", delivery.email)
        services.delivery_failed(
            delivery=delivery, error=f"cannot compose: {error}", temporary=False
        )
        return
    outcome, error = mailer.send(message)
    if outcome is Outcome.SENT:
        services.delivery_sent(delivery=delivery, message_id=message.extra_headers["Message-ID"])
    elif outcome is Outcome.UNKNOWN:
        services.delivery_unknown(delivery=delivery, error=error)
    else:
        services.delivery_failed(delivery=delivery, error=error, temporary=outcome is Outcome.RETRY)
