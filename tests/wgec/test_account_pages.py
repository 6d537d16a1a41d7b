"""allauth's pages are drawn in the site's layout and speak its words ("Log in", "Sign up",
"e-mail"), never the library's defaults ("Sign In", "Sign Up", "Email Address")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIBRARY_WORDS = ["Sign In", "Sign Up", "Sign Out", "Signup", "Email Address", "Password Reset"]

ANONYMOUS_PAGES = [
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
    ("account_reset_password_done", {}),
    ("account_reset_password_from_key", {"uidb36": "0", "key": "expired"}),
    ("account_email_verification_sent", {}),
    ("account_confirm_email", {"key": "expired"}),
]
SIGNED_IN_PAGES = [("account_logout", {}), ("account_change_password", {}), ("account_email", {})]


def _assert_in_the_sites_layout_and_words(page: str) -> None:
    assert '<header class="site-header">' in page
    assert '<main id="main" class="wrap" tabindex="-1">' in page
    for words in LIBRARY_WORDS:
        assert words not in page


@pytest.mark.parametrize(("name", "kwargs"), ANONYMOUS_PAGES)
def test_an_account_page_for_visitors_is_in_the_sites_layout_and_words(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    _assert_in_the_sites_layout_and_words(response.content.decode())


@pytest.mark.parametrize(("name", "kwargs"), SIGNED_IN_PAGES)
def test_an_account_page_for_a_member_is_in_the_sites_layout_and_words(member_client, name, kwargs):
    response = member_client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    _assert_in_the_sites_layout_and_words(response.content.decode())


def test_the_login_page_labels_its_fields_and_its_button_in_the_sites_words(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "<h1>Log in</h1>" in page
    assert '<button type="submit">Log in</button>' in page
    assert "User name or e-mail address" in page
    assert "placeholder=" not in page
