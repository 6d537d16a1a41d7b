"""The message the Chair would receive for a deliverable's report, and how many addresses it
would go to, without writing or sending anything.

For a report not yet sent the message is composed as sending it now would compose it (its draft
introduction and date of issue); for a sent report it is the message as sent, from the frozen
report and its recorded deliveries. ``send_report --dry-run`` prints it, ``send_report --eml``
writes it whole (MIME) for a mail client to open.
"""

import datetime
from dataclasses import dataclass
from email.utils import format_datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from reports import services
from reports.models import Deliverable, Report, Subscriber
from reports.rendering import Recipient, delivery_recipient, report_message
from wgec.models import Participant

# The address shown when no participant is the Chair with an e-mail address.
NO_CHAIR_ADDRESS = "chair@example.org"


@dataclass
class MessagePreview:
    report: Report
    message: EmailMultiAlternatives
    recipients: int
    sent: bool
    chair_known: bool

    def as_bytes(self) -> bytes:
        """The whole message as the mail server would receive it (an .eml file)."""
        mime = self.message.message()
        return mime.as_bytes(policy=mime.policy.clone(linesep="\r\n"))


def report_message_preview(
    *, deliverable: Deliverable, now: datetime.datetime | None = None
) -> MessagePreview:
    """The Chair's message of the deliverable's report and its number of recipients."""
    report = Report.objects.filter(deliverable=deliverable).first()
    if report is not None and report.is_sent:
        return _sent(report)
    return _draft(deliverable, report, now or timezone.now())


def _sent(report: Report) -> MessagePreview:
    delivery = (
        report.deliveries.filter(to_chair=True).select_related("subscriber").order_by("pk").first()
    )
    if delivery is not None:
        token = delivery.subscriber.token if delivery.subscriber else ""
        recipient = delivery_recipient(delivery, token)
    else:
        recipient = Recipient(email=NO_CHAIR_ADDRESS, name="Chair", to_chair=True, token="")
    # The message as it went: dated when it was sent (never the clock), its reply address of
    # that day, with its own Message-ID.
    sent_at = (delivery.sent_at if delivery else None) or report.sent_at
    message = report_message(report, recipient, written_on=timezone.localdate(sent_at))
    message.extra_headers["Date"] = format_datetime(timezone.localtime(sent_at))
    if delivery is not None and delivery.message_id:
        message.extra_headers["Message-ID"] = delivery.message_id
    return MessagePreview(
        report=report,
        message=message,
        recipients=report.deliveries.count(),
        sent=True,
        chair_known=delivery is not None,
    )


def _draft(
    deliverable: Deliverable, draft: Report | None, now: datetime.datetime
) -> MessagePreview:
    composed = services.report_preview(
        deliverable=deliverable,
        introduction=draft.introduction if draft else "",
        issued_on=deliverable.prepared_issued_on(now),
        now=now,
    )
    preview = Report(
        deliverable=deliverable,
        introduction=draft.introduction if draft else "",
        subject=composed.subject,
        content=composed.content,
        body_text=composed.body_text,
        body_html=composed.body_html,
    )
    chair = (
        Participant.objects.filter(role=Participant.Role.CHAIR)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    token = ""
    if chair is not None:
        token = (
            Subscriber.objects.filter(email=chair.email.lower())
            .values_list("token", flat=True)
            .first()
            or ""
        )
    recipient = Recipient(
        email=chair.email.lower() if chair else NO_CHAIR_ADDRESS,
        name=chair.display_name if chair else "Chair",
        to_chair=True,
        token=token,
    )
    return MessagePreview(
        report=preview,
        # The message as it would go if sent at ``now``.
        message=report_message(preview, recipient, written_on=timezone.localdate(now)),
        recipients=recipient_count(),
        sent=False,
        chair_known=chair is not None,
    )


def recipient_count() -> int:
    """How many addresses sending now would write to: the Chair and the mailing list, once the
    participants are put on it, as ``report_send`` does (rolled back here)."""
    with transaction.atomic():
        services.mailing_list_sync_participants()
        chairs = {
            email.lower()
            for email in Participant.objects.filter(role=Participant.Role.CHAIR)
            .exclude(email="")
            .values_list("email", flat=True)
        }
        listed = set(Subscriber.objects.subscribed().values_list("email", flat=True))
        transaction.set_rollback(True)
    return len(chairs | listed)
