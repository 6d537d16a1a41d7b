"""Sending a report's deliveries over the configured mailer, never twice to one address.

``report_deliver`` is the body of the sending task: it claims pending deliveries in batches
(``services.deliveries_claim``), records in one write that the batch's sending begins
(``services.deliveries_start``), sends each delivery as its own message, and records the
messages sent in one write at the end of the batch (``services.deliveries_sent``; sooner when
the batch is slow), failures as they happen. Three writes a batch instead of two a message: what
that costs when a worker dies mid-batch is said at ``services.deliveries_start``.

Over SMTP the conversation is driven step by step, because a failure means different things at
different moments: refused before the message text was sent (MAIL FROM, RCPT TO, or a refusal
of DATA), the message was certainly not delivered and is retried (temporary 4xx) or failed
(permanent 5xx); lost while the text was being sent or before the server's answer, nobody can
know, so the delivery needs a person's attention instead of a second copy.
"""

import datetime
import email.policy
import logging
import smtplib
import socket
import time
from enum import Enum

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone
from django.utils.crypto import get_random_string

from reports import services
from reports.models import DocumentExport, Report
from reports.rendering import (
    ListMessage,
    ReportMessages,
    delivery_recipient,
    report_wording,
)

logger = logging.getLogger(__name__)

# Seconds between two lines of progress in the log while sending.
PROGRESS_EVERY = 10
# The messages sent are recorded at the end of their batch, or after this many seconds of a
# batch that goes slowly (a slow server), so that a crash leaves as few sent messages unrecorded.
SENT_RECORDED_EVERY = 2.0


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # certainly not delivered; may succeed later
    FAILED = "failed"  # certainly not delivered; will not succeed
    UNKNOWN = "unknown"  # may have been delivered
    UNAVAILABLE = "unavailable"  # the server cannot be reached or refuses us: stop the run


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
            sender = backend.prep_address(message.from_email)
            [recipient] = [backend.prep_address(address) for address in message.recipients()]
            data = (
                message.smtp_bytes()
                if isinstance(message, ListMessage)
                else message.message(policy=email.policy.SMTP).as_bytes()
            )
        except (ValueError, UnicodeError, smtplib.SMTPException) as error:
            # An address or a header that cannot be written: this message will never go.
            return Outcome.FAILED, f"cannot write the message: {type(error).__name__}: {error}"
        try:
            if backend.connection is None:
                backend.open()
            connection: smtplib.SMTP = backend.connection
            connection.ehlo_or_helo_if_needed()
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            self.close()
            return Outcome.UNAVAILABLE, (
                f"the SMTP server {backend.host}:{backend.port} cannot be used: "
                f"{type(error).__name__}: {error}"
            )
        try:
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
    task queued to run then (or to a person resuming the sending). When the SMTP server cannot
    be reached or refuses the connection, the run stops at once and leaves what is pending to
    that task; the counts then carry the server's answer under ``"stopped"``. Progress is
    logged after each batch.
    """
    worker = worker or f"{socket.gethostname()}-{get_random_string(8)}"
    report = Report.objects.select_related("deliverable").get(pk=report_id)
    services.deliveries_mark_stale(report_id=report_id)
    if report.deliverable.has_documents:
        _build_documents(report)
    # What every message shares is rendered once for the run.
    messages = ReportMessages(report, report_wording(report))
    mailer = Mailer()
    stopped = ""
    token = ""
    logged = time.monotonic()
    try:
        while not stopped:
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
            token = batch[0].claimed_by
            stopped = _send_batch(mailer, messages, report_id, batch)
            # Counting a list of 50,000 after every batch of 20 would cost more than sending.
            if time.monotonic() >= logged + PROGRESS_EVERY:
                _log_progress(report)
                logged = time.monotonic()
    finally:
        mailer.close()
        if token:
            services.deliveries_release(token=token)
    _log_progress(report)
    if stopped:
        logger.warning("Sending “%s” stopped: %s", report.deliverable, stopped)
        # Not before the postponed delivery is due: a worker must not hammer a refusing server.
        delay = datetime.timedelta(seconds=(settings.REPORTS_RETRY_DELAYS or [60])[0])
        _queue_retry(report, timezone.now() + delay)
    counts = report.delivery_counts()
    if stopped:
        counts["stopped"] = stopped
    return counts


def _log_progress(report: Report) -> None:
    counts = report.delivery_counts()
    logger.info(
        "“%s”: sent %d of %d, failed %d, need attention %d, pending %d",
        report.deliverable,
        counts["sent"],
        counts["total"],
        counts["failed"],
        counts["attention"],
        counts["pending"] + counts["sending"],
    )


def _queue_retry(report: Report, retry_at) -> None:
    from reports.tasks import report_deliver_task

    if report_deliver_task.get_backend().supports_defer:
        services.report_sending_enqueue(report=report, run_after=retry_at)


def _send_batch(mailer: Mailer, messages: ReportMessages, report_id: int, batch) -> str:
    """Send a claimed batch; returns why the run must stop ("" to go on)."""
    token = batch[0].claimed_by
    waiting = list(services.deliveries_start(deliveries=batch))
    sent: list[services.Sent] = []
    renewed = recorded = time.monotonic()
    renew_every = services.LEASE_RENEWED_WITHIN.total_seconds()
    stopped = ""
    try:
        while waiting:
            if time.monotonic() - renewed >= renew_every:
                if not services.claim_renew(report_id=report_id, token=token):
                    logger.warning("A claim's lease ran out while sending; its rest is not sent")
                    waiting = []  # begun, perhaps already swept to attention: not given back
                    break
                renewed = time.monotonic()
            # From here this delivery's message may reach the server: it is never given back.
            delivery = waiting.pop(0)
            outcome, error, message_id = _deliver_one(mailer, messages, delivery)
            if outcome is Outcome.SENT:
                sent.append(services.Sent(delivery.pk, message_id, timezone.now()))
                if time.monotonic() - recorded >= SENT_RECORDED_EVERY:
                    services.deliveries_sent(sent=sent)
                    sent, recorded = [], time.monotonic()
            elif outcome is Outcome.UNAVAILABLE:
                stopped = error
                break
    finally:
        # Also when the run is interrupted: the messages sent are recorded and the deliveries
        # not begun given back; the one being sent when it was, if any, stays begun.
        services.deliveries_sent(sent=sent)
        if waiting:
            services.deliveries_release(token=token, unsent=[d.pk for d in waiting])
    return stopped


def _deliver_one(mailer: Mailer, messages: ReportMessages, delivery) -> tuple[Outcome, str, str]:
    """Send one begun delivery; a failure is recorded at once, a success left to the caller."""
    token = delivery.subscriber.token if delivery.subscriber else ""
    try:
        # Written as it goes: its reply address's validity counts from the day it is sent.
        message = messages.message(
            delivery_recipient(delivery, token), written_on=timezone.localdate()
        )
        outcome, error = mailer.send(message)
    except Exception as error:  # nothing was handed to the server: record why, go on
        logger.exception("Cannot send the message to %s", delivery.email)
        services.delivery_failed(
            delivery=delivery,
            error=f"cannot send: {type(error).__name__}: {error}",
            temporary=False,
        )
        return Outcome.FAILED, str(error), ""
    if outcome is Outcome.SENT:
        return outcome, error, message.extra_headers["Message-ID"]
    if outcome is Outcome.UNKNOWN:
        services.delivery_unknown(delivery=delivery, error=error)
    elif outcome is Outcome.UNAVAILABLE:
        services.delivery_postpone(delivery=delivery, error=error)
    else:
        services.delivery_failed(
            delivery=delivery, error=error, temporary=outcome is not Outcome.FAILED
        )
    return outcome, error, ""
