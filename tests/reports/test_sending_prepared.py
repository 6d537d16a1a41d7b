"""A report's messages are rendered and encoded once for all recipients, and each is the message
the usual rendering gives that recipient: the same bodies, headers and decoded parts."""

import datetime
import re
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from reports import wording as wording_module
from reports.models import Report
from reports.rendering import Recipient, ReportMessages, report_compose, report_message
from reports.wording import REPORT_EMAIL_TEMPLATES, Wording
from tests.factories import DeliverableFactory, IssueFactory

pytestmark = pytest.mark.django_db

# The day the messages are written (their reply addresses count from it).
WRITTEN_ON = datetime.date(2014, 4, 30)

RECIPIENTS = [
    Recipient("chair@example.org", "Mr. Peter Major", to_chair=True, token=""),
    Recipient("ana@example.org", "Ana", to_chair=False, token="tok-1_A"),
    Recipient("zoe@example.org", "Zoë <Ŝtraße> & “Co”", to_chair=False, token="tok-2_B"),
    Recipient("anon@example.org", "", to_chair=False, token="tok-3_C"),
    Recipient("ada@example.org", "Ada", to_chair=False, token="tok-4_D"),
]


@pytest.fixture
def report() -> Report:
    for n in range(30):
        IssueFactory(title=f"Issue {n} on données, ‘quotes’ and a long line " + "x" * 120)
    composed = report_compose(
        now=timezone.now(),
        deliverable=DeliverableFactory(),
        introduction="The group met twice. Accents: é, ü, 中文, and a trailing space ",
    )
    return Report(
        deliverable=DeliverableFactory(),
        subject=composed.subject,
        content=composed.content,
        body_text=composed.body_text,
        body_html=composed.body_html,
    )


def _parts(data: bytes) -> tuple[dict, list[tuple[str, str]]]:
    parsed = message_from_bytes(data, policy=policy.default)
    # The boundary, the date and the message ID differ from one message to the next.
    headers = {
        key: str(value)
        for key, value in parsed.items()
        if key not in ("Message-ID", "Date", "Content-Type")
    }
    headers["Content-Type"] = parsed.get_content_type()
    parts = [(part.get_content_type(), part.get_content()) for part in parsed.iter_parts()]
    return headers, parts


def _normalised(data: bytes) -> bytes:
    data = re.sub(rb"=+\d+==", b"BOUNDARY", data)
    return re.sub(rb"\r\n(Date|Message-ID): [^\r\n]+", b"", data)


def test_each_prepared_message_is_the_usual_message_of_its_recipient(report):
    messages = ReportMessages(report)
    for recipient in RECIPIENTS:
        prepared = messages.message(recipient, written_on=WRITTEN_ON)
        usual = report_message(report, recipient, written_on=WRITTEN_ON)
        assert prepared.body == usual.body
        assert prepared.alternatives == usual.alternatives
        assert prepared.to == usual.to and prepared.subject == usual.subject
        assert {k: v for k, v in prepared.extra_headers.items() if k != "Message-ID"} == {
            k: v for k, v in usual.extra_headers.items() if k != "Message-ID"
        }
        # Over SMTP: the same headers and the same decoded text and HTML; the same bytes but for
        # the boundary, the date and the message ID.
        assert _parts(prepared.smtp_bytes()) == _parts(usual.smtp_bytes())
        assert _normalised(prepared.smtp_bytes()) == _normalised(usual.smtp_bytes())
    # Each kind of recipient was prepared, none fell back to the usual rendering.
    assert len(messages._kinds) == 3 and all(messages._kinds.values())


def test_the_prepared_bytes_hold_each_recipients_own_name_and_link(report):
    messages = ReportMessages(report)
    data = messages.message(RECIPIENTS[2], written_on=WRITTEN_ON).smtp_bytes()
    assert b"Content-Transfer-Encoding: 8bit" in data
    _, parts = _parts(data)
    assert "Dear Zoë <Ŝtraße> & “Co”," in parts[0][1]
    assert "Dear Zoë &lt;Ŝtraße&gt; &amp; “Co”," in parts[1][1]
    assert "/unsubscribe/tok-2_B/" in parts[0][1] and "tok-1_A" not in parts[0][1]
    assert b"wgecRecipient" not in data and b"wgecPrepared" not in data


def test_a_body_with_a_line_longer_than_smtp_allows_is_quoted_printable(report):
    report.body_text += "\n" + "é" * 700  # 1,400 bytes on one line
    prepared = ReportMessages(report).message(RECIPIENTS[1], written_on=WRITTEN_ON)
    usual = report_message(report, RECIPIENTS[1], written_on=WRITTEN_ON)
    assert b"Content-Transfer-Encoding: quoted-printable" in prepared.smtp_bytes()
    assert _parts(prepared.smtp_bytes()) == _parts(usual.smtp_bytes())


def test_a_wording_that_changes_the_name_is_rendered_for_every_message(report):
    sources = dict(Wording.load(REPORT_EMAIL_TEMPLATES).sources)
    sources["reports/email/report.txt"] = "Dear {{ recipient_name|upper }},\n\n{{ body_text }}"
    messages = ReportMessages(report, Wording(sources))
    for recipient in RECIPIENTS[1:3]:
        message = messages.message(recipient, written_on=WRITTEN_ON)
        assert message.body.startswith(f"Dear {recipient.name.upper()},")
    assert not any(messages._kinds.values())


def test_the_wording_is_compiled_once_for_all_messages(report, monkeypatch):
    compiled = []
    original = wording_module.compile_source

    def counting(source):
        compiled.append(source)
        return original(source)

    monkeypatch.setattr(wording_module, "compile_source", counting)
    messages = ReportMessages(report)
    for n in range(20):
        messages.message(
            Recipient(f"p{n}@example.org", f"P {n}", to_chair=False, token=f"t{n}"),
            written_on=WRITTEN_ON,
        )
    assert len(compiled) == 2  # the text and the HTML, once each
