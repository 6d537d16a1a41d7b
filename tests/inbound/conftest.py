"""Fixtures of the inbound tests: a real IMAP server (``tests/inbound/dovecot.py``), started once
per test run; each test gets a mailbox of its own (a new user), so tests never see each other's
mail."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from tests.inbound.dovecot import deliver, imap, running_dovecot

__all__ = ["deliver", "imap", "mail"]


@pytest.fixture(scope="session")
def dovecot():
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mailbox(dovecot, settings) -> dict:
    """A fresh mailbox on the test Dovecot, read by fetch_mail; wgec's address is
    wgec@example.org (replies reach wgec+TAG@example.org)."""
    config = dovecot.mailbox()
    settings.INBOUND_IMAP = config
    settings.INBOUND_ADDRESS = "wgec@example.org"
    settings.INBOUND_DONE_FOLDER = ""
    settings.DEFAULT_FROM_EMAIL = "wgec@example.org"
    return config


def mail(
    *,
    sender: str,
    to: str = "wgec@example.org",
    subject: str = "Re: the report",
    text: str = "I agree with the wording of issue 12.",
    headers: dict | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="members.example.net")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message
