"""Failed logins are throttled per address and per account-and-address: a stranger's failures
never lock the Chair out from the Chair's own address, and a user name and an e-mail address of
one account count as one account."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from wgec.services import email_verified_ensure

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"
CHAIRS_OFFICE = "198.51.100.7"


@pytest.fixture
def chair_account():
    user = UserFactory(username="peter.major", email="chair@example.org")
    email_verified_ensure(user)
    return user


def _login(login: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("account_login"), {"login": login, "password": password}
    )


def _refused(response) -> bool:
    return "Too many failed login attempts" in response.content.decode()


def test_a_strangers_failures_do_not_lock_the_chair_out_from_another_address(chair_account):
    for login in (
        "peter.major",
        "chair@example.org",
        "PETER.MAJOR",
        "peter.major",
        "chair@example.org",
    ):
        _login(login, "wrong", STRANGER)
    assert _refused(_login("peter.major", PASSWORD, STRANGER))
    chair = _login("peter.major", PASSWORD, CHAIRS_OFFICE)
    assert chair.status_code == 302
    assert chair.wsgi_request.user == chair_account


def test_the_user_name_and_the_email_address_count_as_one_account(chair_account):
    for login in ("peter.major", "chair@example.org", "Peter.Major", "CHAIR@example.org"):
        assert not _refused(_login(login, "wrong", STRANGER))
    assert not _refused(_login("chair@example.org", "wrong", STRANGER))  # the fifth failure
    blocked = _login("chair@example.org", PASSWORD, STRANGER)
    assert _refused(blocked)
    assert not blocked.wsgi_request.user.is_authenticated


def test_one_address_is_held_back_whichever_accounts_it_tries(chair_account):
    for n in range(10):
        assert not _refused(_login(f"someone{n}@example.org", "wrong", STRANGER))
    assert _refused(_login("peter.major", PASSWORD, STRANGER))
    assert _login("peter.major", PASSWORD, CHAIRS_OFFICE).status_code == 302
