"""Reading the mailbox against a real Dovecot: replies become comments, everyone else gets one
polite answer, machines none, and each message is taken exactly once."""

import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from consensus.services.proposals import proposal_decline
from inbound.fetching import HANDLED, fetch_mail
from inbound.models import InboundMessage, ReportReply
from inbound.services import message_take
from issues.models import Comment
from reports import services as report_services
from reports.models import Delivery, Report
from reports.previewing import report_message_preview
from tests.factories import (
    DeliverableFactory,
    ParticipantFactory,
    ProposalFactory,
    UserFactory,
)
from tests.inbound.conftest import deliver, imap
from tests.inbound.conftest import mail as a_mail
from wgec import mail_addresses
from wgec.mail_addresses import ReplyKind

pytestmark = pytest.mark.django_db


def committed(work):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work()


def fetch():
    return committed(fetch_mail)


@pytest.fixture
def member():
    user = UserFactory(username="ana-member", email="ana@members.example.net")
    return ParticipantFactory(
        user=user, name="Ana Member", email="ana@members.example.net", correspondence_group=True
    )


@pytest.fixture
def sent_report(mailbox, member):
    report = committed(
        lambda: report_services.report_send(
            deliverable=DeliverableFactory(slug="update-1"), introduction=""
        )
    )
    return report


def _reply_to(message) -> str:
    return message.reply_to[0]


def test_a_report_carries_a_personal_reply_address_and_a_verp_sender(sent_report, member):
    message = next(m for m in mail.outbox if "ana@members.example.net" in m.to[0])
    delivery = Delivery.objects.get(report=sent_report, email="ana@members.example.net")
    tag = mail_addresses.tag_of(_reply_to(message))
    read = mail_addresses.reply_tag_read(
        tag, sender="ana@members.example.net", today=timezone.localdate()
    )
    assert (read.kind, read.object_id) == (ReplyKind.REPORT, sent_report.pk)
    assert mail_addresses.bounce_tag_read(mail_addresses.tag_of(message.from_email)) == delivery.pk
    assert message.message()["From"] == "wgec@example.org"
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert "To answer the report, reply to this message" in message.body


def test_a_members_reply_to_a_report_becomes_a_reply_by_email_taken_once(
    mailbox, sent_report, member
):
    message = next(m for m in mail.outbox if "ana@members.example.net" in m.to[0])
    deliver(
        mailbox,
        a_mail(
            sender="Ana Member <ana@members.example.net>",
            to=_reply_to(message),
            subject=f"Re: {sent_report.subject}",
            text="We should add the regional forums.\n\n-- \nAna\n\n"
            "On Tue, 7 Jan 2014, WGEC <wgec@example.org> wrote:\n> The report\n> text\n",
        ),
    )
    first = fetch()
    second = fetch()

    reply = ReportReply.objects.get()
    assert (reply.report, reply.author) == (sent_report, member)
    assert reply.text == "We should add the regional forums."
    assert first.taken == 1 and second.taken == 0
    client = imap(mailbox)
    client.select_folder("INBOX")
    assert client.search(["KEYWORD", HANDLED.decode()]) == client.search(["ALL"])
    client.logout()


def test_a_reply_to_a_proposal_outcome_becomes_a_comment_marked_by_email(mailbox, member):
    proposal = ProposalFactory(proposer=member)
    committed(lambda: proposal_decline(proposal=proposal, user=None, reason="Not now."))
    outcome = mail.outbox[-1]
    assert outcome.extra_headers["Message-ID"]
    assert "A reply to this message is posted as your comment on the issue." in outcome.body
    deliver(
        mailbox,
        a_mail(
            sender="ana@members.example.net",
            to=_reply_to(outcome),
            subject=f"Re: {outcome.subject}",
            text="Then the issue should say *partly*.\n\nBest regards,\nAna\n",
        ),
    )
    fetch()

    comment = Comment.objects.get()
    assert (comment.issue, comment.author, comment.by_email) == (proposal.issue, member, True)
    assert comment.text == "Then the issue should say *partly*."
    assert InboundMessage.objects.get().comment == comment


def test_the_issue_page_marks_a_comment_by_email(observer_client, member):
    from tests.factories import CommentFactory

    comment = CommentFactory(author=member, by_email=True, text="Sent from my desk.")
    page = observer_client.get(comment.issue.get_absolute_url()).content.decode()
    assert "Sent from my desk." in page and "by e-mail" in page


def test_the_html_of_a_reply_is_sanitised_like_a_comment(mailbox, sent_report, member):
    message = next(m for m in mail.outbox if "ana@members.example.net" in m.to[0])
    html = EmailMessage()
    html["From"] = "ana@members.example.net"
    html["To"] = _reply_to(message)
    html["Subject"] = "Re: report"
    html["Message-ID"] = make_msgid(domain="members.example.net")
    html.set_content(
        "<p>Agreed <b>fully</b>.</p><script>alert(1)</script><img src=x onerror=alert(2)>",
        subtype="html",
    )
    deliver(mailbox, html)
    fetch()

    reply = ReportReply.objects.get()
    assert "Agreed fully." in reply.text
    assert "<script" not in reply.text_html and "alert" not in reply.text_html
    assert "onerror" not in reply.text_html


def test_an_unknown_sender_gets_one_answer_a_day_and_nothing_is_created(mailbox, sent_report):
    mail.outbox.clear()
    deliver(
        mailbox,
        a_mail(sender="stranger@elsewhere.example", to="wgec@example.org"),
        a_mail(sender="stranger@elsewhere.example", to="wgec@example.org", subject="Again"),
    )
    fetch()

    rows = list(InboundMessage.objects.order_by("uid"))
    assert [row.outcome for row in rows] == ["refused", "refused"]
    assert "not known" in rows[0].reason
    assert len(mail.outbox) == 1
    answer = mail.outbox[0]
    assert answer.to == ["stranger@elsewhere.example"]
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "not known to this site" in answer.body
    assert not ReportReply.objects.exists() and not Comment.objects.exists()


def test_a_non_member_is_refused_with_an_answer(mailbox, sent_report):
    ParticipantFactory(email="observer@example.org", role="observer")
    tag = mail_addresses.reply_address(
        kind=ReplyKind.REPORT,
        object_id=sent_report.pk,
        email="observer@example.org",
        today=timezone.localdate(),
    )
    mail.outbox.clear()
    deliver(mailbox, a_mail(sender="observer@example.org", to=tag))
    fetch()

    assert InboundMessage.objects.get().reason == (
        "only members of the correspondence group may comment"
    )
    assert len(mail.outbox) == 1
    assert not ReportReply.objects.exists()


def test_a_forged_or_expired_reply_address_is_refused(mailbox, sent_report, member, settings):
    good = mail_addresses.reply_address(
        kind=ReplyKind.REPORT,
        object_id=sent_report.pk,
        email="ana@members.example.net",
        today=timezone.localdate(),
    )
    # Another member's address, and a report number changed by hand.
    forged = good.replace(f"+r{mail_addresses._b36(sent_report.pk)}-", "+r1z-")
    old = mail_addresses.reply_address(
        kind=ReplyKind.REPORT,
        object_id=sent_report.pk,
        email="ana@members.example.net",
        today=timezone.localdate() - datetime.timedelta(days=settings.INBOUND_REPLY_DAYS + 1),
    )
    deliver(
        mailbox,
        a_mail(sender="ana@members.example.net", to=forged),
        a_mail(sender="ana@members.example.net", to=old),
    )
    fetch()

    reasons = list(InboundMessage.objects.order_by("uid").values_list("reason", flat=True))
    assert "was not given to the address it came from" in reasons[0]
    assert "days old" in reasons[1]
    assert not ReportReply.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Subject": "Out of office: back on 3 February"},
        {"Message-ID": "<20140107.1@testserver>"},
    ],
    ids=["auto-submitted", "precedence-bulk", "out-of-office", "our-own-message-id"],
)
def test_machines_and_loops_create_nothing_and_get_no_answer(mailbox, sent_report, headers):
    message = a_mail(sender="stranger@elsewhere.example")
    for name, value in headers.items():
        del message[name]
        message[name] = value
    mail.outbox.clear()
    deliver(mailbox, message)
    fetch()

    assert InboundMessage.objects.get().outcome == "ignored"
    assert mail.outbox == []


def test_bad_messages_are_refused_and_the_next_one_is_still_read(
    mailbox, sent_report, member, settings
):
    settings.INBOUND_MAX_MB = 1
    reply_to = mail_addresses.reply_address(
        kind=ReplyKind.REPORT,
        object_id=sent_report.pk,
        email="ana@members.example.net",
        today=timezone.localdate(),
    )
    malformed = (
        b"From: ana@members.example.net\r\nTo: " + reply_to.encode() + b"\r\n"
        b'Subject: =?utf-8?q?broken\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n'
        b"--x\r\nContent-Type: text/plain; charset=no-such-charset\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\xff\xfe\r\n--x"
    )
    huge = a_mail(sender="ana@members.example.net", to=reply_to, text="x" * (2 * 2**20))
    crowd = a_mail(sender="ana@members.example.net", to=reply_to)
    del crowd["To"]
    crowd["To"] = ", ".join(f"person{n}@example.com" for n in range(10_000))
    crowd["Cc"] = reply_to
    last = a_mail(sender="ana@members.example.net", to=reply_to, text="Still read.")
    mail.outbox.clear()
    deliver(mailbox, malformed, huge, crowd, last)
    result = fetch()

    rows = list(InboundMessage.objects.order_by("uid"))
    assert result.taken == 4
    assert rows[0].outcome == "refused" and "cannot be read" in rows[0].reason
    assert "larger than 1 MB" in rows[1].reason
    assert "10001 recipients" in rows[2].reason
    assert rows[3].outcome == "report_reply"
    assert ReportReply.objects.get().text == "Still read."


def test_a_message_taken_before_a_crash_is_not_taken_again(mailbox, sent_report, member):
    deliver(mailbox, a_mail(sender="stranger@elsewhere.example"))
    client = imap(mailbox)
    info = client.select_folder("INBOX")
    [uid] = client.search(["ALL"])
    client.logout()
    key = {
        "mailbox": f"{mailbox['user']}@127.0.0.1:{mailbox['port']}/INBOX",
        "uidvalidity": int(info[b"UIDVALIDITY"]),
        "uid": uid,
    }
    # The fetcher took it and died before flagging it; another fetcher comes along.
    assert committed(lambda: message_take(**key, raw=b"Subject: x\r\n\r\nx", size=10))
    assert message_take(**key, raw=b"Subject: x\r\n\r\nx", size=10) is None
    result = fetch()

    assert (result.taken, result.skipped) == (0, 0)
    assert InboundMessage.objects.count() == 1
    client = imap(mailbox)
    client.select_folder("INBOX")
    assert client.search(["KEYWORD", HANDLED.decode()]) == [uid]
    client.logout()


def test_handled_messages_are_moved_to_the_done_folder(mailbox, settings):
    settings.INBOUND_DONE_FOLDER = "Handled"
    deliver(mailbox, a_mail(sender="stranger@elsewhere.example"))
    fetch()

    client = imap(mailbox)
    client.select_folder("INBOX")
    assert client.search(["ALL"]) == []
    client.select_folder("Handled")
    assert len(client.search(["ALL"])) == 1
    client.logout()


def test_fetch_mail_once_prints_what_it_took(mailbox, capsys):
    deliver(mailbox, a_mail(sender="stranger@elsewhere.example"))
    committed(lambda: call_command("fetch_mail", "--once"))
    assert "1 taken (1 refused)" in capsys.readouterr().out


def test_fetch_mail_names_the_setting_when_the_mailbox_cannot_be_reached(settings):
    settings.INBOUND_IMAP = {**settings.INBOUND_IMAP, "host": ""}
    with pytest.raises(CommandError, match="INBOUND_IMAP_URL"):
        call_command("fetch_mail", "--once")


def test_a_sent_reports_preview_shows_the_reply_address_it_went_with_not_todays(sent_report):
    # Sent ten days ago: its reply address counts its validity from that day, and the preview
    # of the message as it went shows that address, whatever the clock says now.
    went = timezone.now() - datetime.timedelta(days=10)
    Report.objects.filter(pk=sent_report.pk).update(sent_at=went)
    Delivery.objects.filter(report=sent_report).update(sent_at=went)
    preview = report_message_preview(deliverable=sent_report.deliverable)
    recipient = preview.message.to[0].rsplit("<", 1)[-1].rstrip(">")
    assert _reply_to(preview.message) == mail_addresses.reply_address(
        kind=ReplyKind.REPORT,
        object_id=sent_report.pk,
        email=recipient,
        today=timezone.localdate(went),
    )
    assert _reply_to(preview.message) != mail_addresses.reply_address(
        kind=ReplyKind.REPORT, object_id=sent_report.pk, email=recipient, today=timezone.localdate()
    )
