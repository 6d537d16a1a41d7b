"""The public pages kept whole for anonymous visitors (``wgec.page_cache.WholePageMiddleware``):
served in two reads, each visitor with their own CSRF token, never stale, never to someone signed
in or with a message waiting, one page per language."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db

# A page kept whole: the public pages' version and the cache's row (the tests' cache is the
# database's).
KEPT = 2


@pytest.fixture
def issue():
    return IssueFactory(title="Spam and its senders")


def test_an_anonymous_visitor_gets_a_kept_page_in_two_queries(
    client, issue, django_assert_num_queries
):
    url = reverse("issues:detail", args=[issue.pk])
    built = client.get(url).content.decode()
    with django_assert_num_queries(KEPT):
        kept = client.get(url)
    assert kept.status_code == 200
    assert kept.content.decode().replace(_token(kept), "") == built.replace(_token_in(built), "")
    # The headers of the middleware inside it are kept with it; those around it are set again.
    assert kept["Content-Security-Policy"].startswith("default-src 'self'")
    assert kept["X-Frame-Options"] == "DENY"
    assert kept["Content-Language"] == "en" and "Accept-Language" in kept["Vary"]


def test_each_visitor_gets_their_own_csrf_token_and_the_language_menu_works(issue):
    url = reverse("issues:detail", args=[issue.pk])
    first = Client(enforce_csrf_checks=True).get(url)
    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        kept = visitor.get(url)
    assert len(queries) == KEPT
    assert "\x00" not in kept.content.decode()
    assert _token(kept) != _token(first)
    assert settings.CSRF_COOKIE_NAME in kept.cookies
    # The token in the kept page is this visitor's: their language menu works.
    chosen = visitor.post(
        reverse("set_language"),
        {"language": "fr", "next": url, "csrfmiddlewaretoken": _token(kept)},
    )
    assert chosen.status_code == 302
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert 'lang="fr"' in visitor.get(url).content.decode()


def test_a_change_shows_at_once_on_a_kept_page(client, issue, django_assert_num_queries):
    url = reverse("issues:list")
    assert "Spam and its senders" in client.get(url).content.decode()
    with django_assert_num_queries(KEPT):
        client.get(url)
    # A bulk update: no save(), no signal; the database changes the version.
    Issue.objects.filter(pk=issue.pk).update(title="Spam & phishing")
    text = client.get(url).content.decode()
    assert "Spam &amp; phishing" in text and "Spam and its senders" not in text


def test_a_signed_in_member_never_gets_a_page_kept_for_anonymous_visitors(
    client, member_client, issue
):
    url = reverse("issues:detail", args=[issue.pk])
    client.get(url)
    assert "Log in" in client.get(url).content.decode()
    text = member_client.get(url).content.decode()
    assert "Log out" in text and "Log in" not in text


def test_a_visitor_with_a_message_waiting_gets_the_page_built(client, issue):
    url = reverse("issues:detail", args=[issue.pk])
    client.get(url)
    client.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) > KEPT


def test_each_language_has_its_own_kept_page(client, issue, django_assert_num_queries):
    url = reverse("issues:list")
    assert 'lang="fr"' in client.get(url, headers={"accept-language": "fr"}).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en"' in english
    with django_assert_num_queries(KEPT):
        french = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="fr"' in french


def test_a_head_request_is_served_from_the_kept_page(client, issue, django_assert_num_queries):
    url = reverse("issues:detail", args=[issue.pk])
    client.get(url)
    with django_assert_num_queries(KEPT):
        assert client.head(url).status_code == 200


def test_a_page_not_found_is_never_kept(client, issue, django_assert_num_queries):
    url = reverse("issues:detail", args=[issue.pk + 1000])
    assert client.get(url).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 404
    assert any("issues_issue" in query["sql"] for query in queries)


def test_pages_not_kept_whole_pay_no_read_for_it(client, issue):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("account_login")).status_code == 200
    assert not [query for query in queries if "wgec_publicversion" in query["sql"]]


def test_no_page_is_kept_when_the_page_cache_is_off(
    client, issue, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("issues:detail", args=[issue.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [query for query in queries if "wgec_cache" in query["sql"]]


def _token_in(text: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = text.index(marker) + len(marker)
    return text[start : text.index('"', start)]


def _token(response) -> str:
    return _token_in(response.content.decode())
