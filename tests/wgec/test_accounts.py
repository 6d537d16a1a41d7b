"""Sign-up with a confirmed e-mail address, login and its throttling, password reset, and the
request to join the correspondence group."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    JoinRequestFactory,
    ParticipantFactory,
    StakeholderGroupFactory,
    UserFactory,
)
from wgec.models import JoinRequest, Participant
from wgec.roles import Role, role_of
from wgec.services import email_verified_ensure

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).replace("http://testserver", "")


def _sign_up(client, email="amina@example.net", username="amina"):
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    return response


def test_sign_up_needs_the_emailed_confirmation_then_offers_to_join(
    client, django_capture_on_commit_callbacks
):
    _sign_up(client)
    assert len(mail.outbox) == 1
    # Not signed in before confirming.
    assert client.get(reverse("wgec:account")).status_code == 302
    login = client.post(reverse("account_login"), {"login": "amina", "password": NEW_PASSWORD})
    assert "/accounts/confirm-email/" in login["Location"]
    confirm_url = _link(mail.outbox[-1])
    client.get(confirm_url)
    response = client.post(confirm_url)
    assert response["Location"] == reverse("wgec:join")
    page = client.get(reverse("wgec:join"))
    assert "Join the correspondence group" in page.content.decode()


def test_failed_logins_are_throttled():
    from django.test import Client

    user = UserFactory(username="target", email="target@example.org")
    email_verified_ensure(user)
    client = Client()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "target", "password": "wrong"})
        assert response.status_code == 200
    # The right password is refused too while the account is throttled.
    blocked = client.post(reverse("account_login"), {"login": "target", "password": PASSWORD})
    assert blocked.status_code in (200, 429)
    assert not blocked.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in blocked.content.decode()


def test_login_logout_and_the_header_links(client, member_user):
    email_verified_ensure(member_user)
    home = client.get("/").content.decode()
    assert reverse("account_login") in home and "/admin/login/" not in home
    response = client.post(reverse("account_login"), {"login": "a-member", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert reverse("account_logout") in page and "Correspondence-group member" in page
    client.post(reverse("account_logout"))
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_password_reset_by_email(client, member_user):
    email_verified_ensure(member_user)
    client.post(reverse("account_reset_password"), {"email": member_user.email})
    assert len(mail.outbox) == 1
    url = _link(mail.outbox[0])
    form_url = client.get(url)["Location"] if client.get(url).status_code == 302 else url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)


def _observer(email="applicant@example.net"):
    from tests.conftest import _client_for

    user = UserFactory(username="applicant", email=email)
    return user, _client_for(user)


def _join_data(**values):
    group = StakeholderGroupFactory(slug="civil-society")
    return {
        "name": "Amina Diallo",
        "organisation": "Réseau Ouest-Africain",
        "stakeholder_group": group.pk,
        "country": "SN",
        **values,
    }


def test_a_request_to_join_reaches_the_coordinators(
    coordinator_user, django_capture_on_commit_callbacks
):
    user, client = _observer()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wgec:join"), _join_data())
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=user)
    assert join_request.state == "pending" and join_request.country.code == "SN"
    assert mail.outbox[0].to == [coordinator_user.email]
    assert "Amina Diallo" in mail.outbox[0].subject
    # A second request while one waits is refused, with the reason.
    again = client.post(reverse("wgec:join"), _join_data())
    assert "is waiting for a coordinator" in again.content.decode()
    assert JoinRequest.objects.filter(user=user).count() == 1


def test_accepting_creates_a_member_and_tells_them(
    coordinator_client, django_capture_on_commit_callbacks
):
    user, _ = _observer()
    join_request = JoinRequestFactory(user=user, name="Amina Diallo")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("wgec:join-request", args=[join_request.pk]), {"action": "accept"}
        )
    assert response.status_code == 302
    user.refresh_from_db()
    participant = Participant.objects.get(user=user)
    assert participant.correspondence_group and participant.name == "Amina Diallo"
    assert participant.email == user.email
    assert role_of(user) == Role.MEMBER
    assert mail.outbox[-1].to == [user.email]
    assert "Welcome" in mail.outbox[-1].subject
    assert mail.outbox[-1].alternatives  # HTML too
    # The history says who accepted.
    assert "accepted by A Coordinator" in participant.history.first().history_change_reason


def test_accepting_links_the_listed_participant_by_email_ignoring_case(coordinator_client):
    listed = ParticipantFactory(
        name="Mervi Kultamaa", email="Mervi.Kultamaa@example.org", correspondence_group=False
    )
    user, _ = _observer(email="mervi.kultamaa@EXAMPLE.org")
    join_request = JoinRequestFactory(user=user)
    coordinator_client.post(
        reverse("wgec:join-request", args=[join_request.pk]), {"action": "accept"}
    )
    listed.refresh_from_db()
    assert listed.user == user and listed.correspondence_group
    assert Participant.objects.filter(name="Mervi Kultamaa").count() == 1


def test_declining_needs_a_reason_which_is_emailed(
    coordinator_client, django_capture_on_commit_callbacks
):
    user, _ = _observer()
    join_request = JoinRequestFactory(user=user)
    url = reverse("wgec:join-request", args=[join_request.pk])
    page = coordinator_client.post(url, {"action": "decline", "reason": " "})
    assert "This field is required" in page.content.decode()
    join_request.refresh_from_db()
    assert join_request.state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            url, {"action": "decline", "reason": "Please apply as an observer State."}
        )
    join_request.refresh_from_db()
    assert join_request.state == "declined"
    assert "observer State" in mail.outbox[-1].body
    assert role_of(user) == Role.OBSERVER


def test_pending_requests_page_query_count_is_flat(
    coordinator_client, django_assert_max_num_queries
):
    for size in (1, 25):
        JoinRequestFactory.create_batch(size)
        with django_assert_max_num_queries(8):
            response = coordinator_client.get(reverse("wgec:join-requests"))
        assert response.status_code == 200
