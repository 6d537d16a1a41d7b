"""The answer to a message that created nothing is written in its recipient's language: the one
of their profile, else that of the update report they answered, else English. The record of the
refusal stays in English, for the secretariat."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.test import TestCase

from inbound.models import InboundMessage
from inbound.services import message_take
from tests.factories import DeliveryFactory, ParticipantFactory, UserFactory
from wgec.models import Profile

pytestmark = pytest.mark.django_db


def _take(sender: str, *, uid: int = 1, in_reply_to: str = "") -> InboundMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "wgec@example.org"
    message["Subject"] = "Re: the report"
    message["Message-ID"] = make_msgid(domain="elsewhere.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content("I agree with the wording of issue 12.")
    raw = message.as_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return message_take(mailbox="INBOX", uidvalidity=1, uid=uid, raw=raw, size=len(raw))


def test_an_observer_is_told_in_the_language_of_their_profile(settings):
    settings.LANGUAGE_CODE = "en"
    user = UserFactory(username="claire", email="claire@example.org")
    ParticipantFactory(user=user, email="claire@example.org", role="observer")
    Profile.objects.update_or_create(user=user, defaults={"language": "fr"})

    record = _take("claire@example.org")

    assert record.reason == "only members of the correspondence group may comment"
    (answer,) = mail.outbox
    assert answer.to == ["claire@example.org"]
    assert answer.subject.startswith("Votre message au ")
    assert "n’a pas été enregistré, car seuls les membres du groupe de correspondance" in (
        answer.body
    )
    assert "Merci de ne pas y répondre." in answer.body
    assert "not recorded" not in answer.body


def test_an_unknown_sender_is_told_in_the_language_of_the_report_they_answered():
    delivery = DeliveryFactory(
        email="li@example.cn", language="zh-hans", message_id="<report-1@wgec.example>"
    )

    record = _take("li@example.cn", in_reply_to=delivery.message_id)

    assert record.reason == "its address is not known to this site"
    (answer,) = mail.outbox
    assert "未予记录，原因是本网站不认识其发件地址。" in answer.body
    assert "请勿回复" in answer.body


def test_an_unknown_sender_with_nothing_recorded_is_told_in_english():
    _take("stranger@elsewhere.example")

    (answer,) = mail.outbox
    assert "was not recorded, because its address is not known to this site." in answer.body
    assert answer.subject.startswith("Your message to the ")
