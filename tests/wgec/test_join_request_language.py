"""A request to join reaches each coordinator in the language of their profile."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ParticipantFactory, StakeholderGroupFactory, UserFactory
from wgec.models import Participant, Profile
from wgec.services import email_verified_ensure

pytestmark = pytest.mark.django_db


def _coordinator(username: str, language: str | None):
    user = UserFactory(username=username, email=f"{username}@example.org")
    ParticipantFactory(user=user, role=Participant.Role.COORDINATOR, correspondence_group=True)
    if language:
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    return user


def test_each_coordinator_reads_the_request_in_their_language(
    client, django_capture_on_commit_callbacks
):
    _coordinator("amelie", "fr")
    _coordinator("mei", "zh-hans")
    _coordinator("john", None)
    user = UserFactory(username="asker", email="asker@example.org")
    email_verified_ensure(user)
    client.force_login(user)
    group = StakeholderGroupFactory(name="Civil society")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wgec:join"),
            {
                "name": "Amina Diallo",
                "organisation": "Réseau Ouest-Africain",
                "stakeholder_group": group.pk,
                "country": "SN",
            },
        )

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"amelie@example.org", "mei@example.org", "john@example.org"}
    french = by_address["amelie@example.org"]
    assert french.subject == "Demande d’adhésion au groupe de correspondance : Amina Diallo"
    assert "demande à rejoindre le groupe de correspondance" in french.body
    assert "Sénégal" in french.body  # the country named in French
    assert "Accepter ou refuser :" in french.body
    chinese = by_address["mei@example.org"]
    assert chinese.subject == "加入通信组的请求：Amina Diallo"
    assert "请求加入" in chinese.body
    english = by_address["john@example.org"]
    assert "asks to join the correspondence group" in english.body
    assert "Accept or decline:" in english.body
