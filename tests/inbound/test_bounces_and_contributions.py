"""Bounces (RFC 3464) recorded on their deliveries, and contributions sent by e-mail, read from
a real Dovecot."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.test import TestCase

from inbound.fetching import fetch_mail
from inbound.models import InboundMessage
from reports import services as report_services
from reports.models import Delivery, Subscriber
from tests.factories import DeliverableFactory, ParticipantFactory, SubscriberFactory, UserFactory
from tests.inbound.conftest import deliver
from tests.inbound.conftest import mail as a_mail
from wgec import mail_addresses
from wgec.models import Contribution

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def committed(work):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work()


def send(slug: str):
    return committed(
        lambda: report_services.report_send(
            deliverable=DeliverableFactory(slug=slug), introduction=""
        )
    )


def dsn(*, to: str, recipient: str, status: str, action: str, returned_id: str = "") -> bytes:
    """A delivery status notification as Postfix writes one."""
    returned = (
        f"--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: {returned_id}\n"
        "Subject: the report\n\n"
        if returned_id
        else ""
    )
    text = (
        "From: MAILER-DAEMON@mx.elsewhere.example\n"
        f"To: {to}\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        f"Message-ID: {make_msgid(domain='mx.elsewhere.example')}\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\n"
        "I'm sorry to have to inform you that your message could not be delivered.\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.elsewhere.example\n\n"
        f"Final-Recipient: rfc822; {recipient}\nAction: {action}\nStatus: {status}\n"
        f"Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected\n\n"
        f"{returned}--B--\n"
    )
    return text.replace("\n", "\r\n").encode()


@pytest.fixture
def subscriber(mailbox):
    return SubscriberFactory(email="gone@elsewhere.example")


def test_a_permanent_bounce_to_the_verp_address_is_recorded_on_its_delivery(mailbox, subscriber):
    report = send("update-1")
    delivery = Delivery.objects.get(report=report, email=subscriber.email)
    message = next(m for m in mail.outbox if subscriber.email in m.to[0])
    deliver(
        mailbox,
        dsn(to=message.from_email, recipient=subscriber.email, status="5.1.1", action="failed"),
    )
    mail.outbox.clear()
    committed(fetch_mail)

    delivery.refresh_from_db()
    assert (delivery.bounce_permanent, delivery.bounce_status) == (True, "5.1.1")
    assert "Recipient address rejected" in delivery.bounce_diagnostic
    assert InboundMessage.objects.get().delivery == delivery
    assert mail.outbox == []  # a bounce is never answered
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.SUBSCRIBED  # once is not enough


def test_two_permanent_bounces_suspend_the_address_with_the_reason(mailbox, subscriber):
    for slug in ("update-1", "update-2"):
        report = send(slug)
        delivery = Delivery.objects.get(report=report, email=subscriber.email)
        # Matched by the returned message's Message-ID, sent to the plain address.
        deliver(
            mailbox,
            dsn(
                to="wgec@example.org",
                recipient=subscriber.email,
                status="5.1.1",
                action="failed",
                returned_id=delivery.message_id,
            ),
        )
        committed(fetch_mail)

    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.SUSPENDED
    assert "update-1" in subscriber.suspended_reason
    assert "update-2" in subscriber.suspended_reason
    assert "5.1.1" in subscriber.suspended_reason
    report = send("update-3")
    assert not Delivery.objects.filter(report=report, email=subscriber.email).exists()


def test_a_temporary_bounce_is_recorded_and_suspends_nobody(mailbox, subscriber):
    for slug in ("update-1", "update-2"):
        send(slug)
        message = next(m for m in reversed(mail.outbox) if subscriber.email in m.to[0])
        deliver(
            mailbox,
            dsn(
                to=message.from_email,
                recipient=subscriber.email,
                status="4.2.2",
                action="delayed",
            ),
        )
        committed(fetch_mail)

    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.SUBSCRIBED
    assert Delivery.objects.filter(bounce_status="4.2.2", bounce_permanent=False).count() == 2


@pytest.fixture
def member():
    user = UserFactory(username="ana-member", email="ana@members.example.net")
    return ParticipantFactory(
        user=user, name="Ana Member", email="ana@members.example.net", correspondence_group=True
    )


def _with_attachment(message: EmailMessage, name: str, data: bytes, kind=("application", "pdf")):
    message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return message


def test_a_members_message_to_the_contributions_address_becomes_a_contribution(mailbox, member):
    message = a_mail(
        sender="ana@members.example.net",
        to=mail_addresses.contribute_address(),
        subject="Draft recommendations on capacity building",
        text="Our draft, for the secretariat.",
    )
    deliver(mailbox, _with_attachment(message, "draft.pdf", PDF))
    committed(fetch_mail)

    contribution = Contribution.objects.get()
    assert contribution.author == member
    assert contribution.state == Contribution.State.SUBMITTED
    assert contribution.title == "Draft recommendations on capacity building"
    [document] = contribution.documents.all()
    assert (document.original_name, document.size) == ("draft.pdf", len(PDF))
    assert InboundMessage.objects.get().contribution == contribution


def test_a_subject_tag_makes_a_contribution_and_documents_are_checked_like_uploads(mailbox, member):
    tagged = a_mail(
        sender="ana@members.example.net",
        subject="[contribution] A framework",
        text="See attached.",
    )
    renamed = a_mail(
        sender="ana@members.example.net",
        to=mail_addresses.contribute_address(),
        subject="Not a PDF",
    )
    deliver(
        mailbox,
        _with_attachment(tagged, "framework.pdf", PDF),
        _with_attachment(renamed, "setup.pdf", b"MZ\x90\x00 an executable"),
    )
    mail.outbox.clear()
    committed(fetch_mail)

    assert list(Contribution.objects.values_list("title", flat=True)) == ["A framework"]
    refused = InboundMessage.objects.get(outcome="refused")
    assert "does not look like a PDF file" in refused.reason
    assert len(mail.outbox) == 1 and "does not look like a PDF file" in mail.outbox[0].body


def test_a_non_member_cannot_contribute_by_mail(mailbox):
    ParticipantFactory(email="observer@example.org", role="observer")
    message = a_mail(sender="observer@example.org", to=mail_addresses.contribute_address())
    deliver(mailbox, _with_attachment(message, "draft.pdf", PDF))
    committed(fetch_mail)

    assert not Contribution.objects.exists()
    assert InboundMessage.objects.get().outcome == "refused"


def _docx(unpacked_bytes: int) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * unpacked_bytes)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_and_the_next_message_is_still_read(mailbox, member, settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    bomb = a_mail(sender="ana@members.example.net", to=mail_addresses.contribute_address())
    damaged = a_mail(sender="ana@members.example.net", to=mail_addresses.contribute_address())
    fine = a_mail(
        sender="ana@members.example.net",
        to=mail_addresses.contribute_address(),
        subject="A small draft",
    )
    docx = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
    deliver(
        mailbox,
        _with_attachment(bomb, "bomb.docx", _docx(8 * 2**20), docx),
        _with_attachment(damaged, "cut.docx", _docx(1000)[:-40], docx),
        _with_attachment(fine, "draft.docx", _docx(1000), docx),
    )
    committed(fetch_mail)

    rows = list(InboundMessage.objects.order_by("uid"))
    assert "unpacks to 8 MB" in rows[0].reason
    assert "not a readable DOCX file" in rows[1].reason
    assert [c.title for c in Contribution.objects.all()] == ["A small draft"]
