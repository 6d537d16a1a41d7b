"""The public pages kept whole for each role (``wgec.page_cache.RoleWholePageMiddleware``): a
signed-in member, observer, coordinator or the Chair gets their role's page with their own name
and CSRF token written in; never another role's page, never the secretariat, never with a
message waiting, never a page that names the person anywhere but its header."""

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Comment
from mechanisms.models import Mechanism
from tests.factories import (
    CommentFactory,
    IssueFactory,
    MechanismFactory,
    ParticipantFactory,
    UserFactory,
)
from wgec.models import Participant

pytestmark = pytest.mark.django_db

# A page kept whole for a role: the person's session and user (with their participant record),
# the public pages' version and the cache's row (the tests' cache is the database's).
KEPT = 4
URL = "/mechanisms/"


@pytest.fixture(autouse=True)
def mechanism():
    return MechanismFactory(name="International Telecommunication Union", acronym="ITU")


def _signed_in(username: str, enforce_csrf_checks: bool = False, **participant) -> Client:
    user = UserFactory(username=username)
    ParticipantFactory(user=user, name=username.title(), **participant)
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    return client


def _get(client: Client, url: str = URL) -> tuple[bool, int, str]:
    """Whether the page was served whole (no template drawn: the test client records each
    one), the queries it took, and its text."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return not response.templates, len(queries), response.content.decode()


def _who(text: str) -> str:
    return text.split('<a class="who" href="/account/">')[1].split(" <span")[0]


def test_a_member_gets_the_page_another_member_had_built_with_their_own_name():
    first = _signed_in("amina", correspondence_group=True)
    second = _signed_in("bruno", correspondence_group=True)
    whole, _, text = _get(first)
    assert not whole and _who(text) == "amina"
    whole, count, text = _get(second)
    assert whole and count == KEPT
    assert _who(text) == "bruno" and "amina" not in text and "\x00" not in text
    assert "International Telecommunication Union" in text and "Log out" in text
    # The headers of the middleware inside it are kept with it; those around it are set again.
    kept = second.get(URL)
    assert not kept.templates
    assert kept["Content-Security-Policy"].startswith("default-src 'self'")
    assert kept["X-Frame-Options"] == "DENY"
    assert kept["Content-Language"] == "en" and "Cookie" in kept["Vary"]


def test_each_members_csrf_token_is_their_own_and_their_language_menu_works():
    # (Each person is made before any page is kept: a participant written changes the public
    # pages' version.)
    first = _signed_in("amina", correspondence_group=True)
    member = _signed_in("bruno", enforce_csrf_checks=True, correspondence_group=True)
    _get(first)
    whole, _, text = _get(member)
    assert whole
    token = text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    chosen = member.post(
        reverse("set_language"), {"language": "fr", "next": URL, "csrfmiddlewaretoken": token}
    )
    assert chosen.status_code == 302
    assert member.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr"' in member.get(URL).content.decode()


@pytest.mark.parametrize(
    ("role", "group", "sees", "does_not_see"),
    [
        (Participant.Role.COORDINATOR, True, ["Dashboard", "Proposal queue"], []),
        (Participant.Role.CHAIR, True, ["Dashboard", "Proposal queue"], []),
        (Participant.Role.MEMBER, True, ["My proposals"], ["Dashboard"]),
        (Participant.Role.OBSERVER, False, [], ["My proposals", "Dashboard", "Your work"]),
    ],
)
def test_each_role_gets_its_own_kept_page_never_anothers(role, group, sees, does_not_see):
    # Every role's page kept first, by someone else of that role.
    firsts = [
        _signed_in(f"first-{other}", role=other, correspondence_group=other != "observer")
        for other in Participant.Role
    ]
    reader = _signed_in("reader", role=role, correspondence_group=group)
    for first in firsts:
        _get(first)
    whole, count, text = _get(reader)
    assert whole and count == KEPT and _who(text) == "reader"
    for words in sees:
        assert words in text
    for words in does_not_see:
        assert words not in text
    assert "Admin" not in text


def test_the_secretariat_always_gets_the_page_built(secretariat_client):
    secretariat_client.get(URL)
    whole, _, text = _get(secretariat_client)
    assert not whole and "Admin" in text


def test_a_member_with_a_message_waiting_gets_it_on_the_page_built():
    member = _signed_in("amina", correspondence_group=True)
    _get(member)
    assert _get(member)[0]
    waiting = Message(constants.SUCCESS, "Your proposal was received.")
    member.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode([waiting])
    whole, _, text = _get(member)
    assert not whole and "Your proposal was received." in text
    whole, _, text = _get(member)
    assert whole and "Your proposal was received." not in text


def test_a_page_that_names_the_person_beyond_its_header_is_not_kept():
    # Their username on the page itself (here a mechanism's name): whatever the page shows of
    # them is never kept for others of their role.
    Mechanism.objects.create(name="amina", kind="regional")
    member = _signed_in("amina", correspondence_group=True)
    other = _signed_in("bruno", correspondence_group=True)
    _get(member)
    assert not _get(member)[0]
    whole, _, text = _get(other)
    assert not whole and _who(text) == "bruno"
    # Bruno's page is kept: his name is only in its header.
    assert _get(other)[0]


def test_a_change_shows_at_once_on_a_members_kept_page(mechanism):
    member = _signed_in("amina", correspondence_group=True)
    _get(member)
    assert _get(member)[0]
    # A bulk update: no save(), no signal; the database changes the version.
    Mechanism.objects.filter(pk=mechanism.pk).update(name="ITU & partners")
    whole, _, text = _get(member)
    assert not whole and "ITU &amp; partners" in text


def _issue_with_a_comment_by(author: Client) -> tuple[str, int]:
    """An issue on the map with a comment by the person signed in on ``author``."""
    issue = IssueFactory(title="Spam")
    participant = Participant.objects.get(user_id=author.session["_auth_user_id"])
    comment = CommentFactory(issue=issue, author=participant, text="Spam is a *shared* harm.")
    return reverse("issues:detail", args=[issue.pk]), comment.pk


def test_an_issues_page_is_kept_whole_for_the_members_without_a_comment_of_their_own_on_it():
    writer = _signed_in("amina", correspondence_group=True)
    reader = _signed_in("bruno", correspondence_group=True)
    url, comment = _issue_with_a_comment_by(writer)
    edit = reverse("issues:comment-edit", args=[comment])
    # Amina's own comment has its edit link: her page is built for her, each time.
    for _ in range(2):
        whole, _, text = _get(writer, url)
        assert not whole and edit in text and _who(text) == "amina"
    # Bruno has none there: he gets the member's page, once kept, without Amina's links.
    assert not _get(reader, url)[0]
    whole, count, text = _get(reader, url)
    assert whole and count == KEPT + 1  # and whether he wrote on the issue
    assert "shared</em> harm" in text and edit not in text and 'id="comment-form"' in text
    assert _who(text) == "bruno" and "amina" not in text and "\x00" not in text
    # Amina's page is still hers.
    whole, _, text = _get(writer, url)
    assert not whole and edit in text


def test_a_member_who_comments_on_an_issue_gets_its_page_built_from_then_on():
    member = _signed_in("amina", enforce_csrf_checks=True, correspondence_group=True)
    url = reverse("issues:detail", args=[IssueFactory(title="Spam").pk])
    _get(member, url)
    whole, _, text = _get(member, url)
    assert whole
    token = text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = text.split('id="comment-form"')[0].rsplit("<form", 1)[1]
    action = form.split('action="')[1].split('"')[0]
    posted = member.post(action, {"text": "Mine.", "csrfmiddlewaretoken": token})
    assert posted.status_code == 302
    comment = Comment.objects.get(text="Mine.")
    whole, _, text = _get(member, url)
    assert not whole and reverse("issues:comment-edit", args=[comment.pk]) in text
    assert not _get(member, url)[0]


def test_an_observer_who_once_commented_as_a_member_gets_the_issues_page_built():
    observer = _signed_in("amina", role=Participant.Role.OBSERVER)
    other = _signed_in("bruno", role=Participant.Role.OBSERVER)
    url, comment = _issue_with_a_comment_by(observer)
    edit = reverse("issues:comment-edit", args=[comment])
    _get(other, url)
    assert _get(other, url)[0]
    whole, _, text = _get(observer, url)
    assert not whole and edit in text


def test_a_member_asking_for_an_issue_beyond_any_id_gets_not_found():
    member = _signed_in("amina", correspondence_group=True)
    assert member.get(reverse("issues:detail", args=[2**62])).status_code == 404


def test_a_member_gets_the_page_built_when_the_page_cache_is_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    member = _signed_in("amina", correspondence_group=True)
    _get(member)
    with CaptureQueriesContext(connection) as queries:
        assert member.get(URL).templates
    assert not [query for query in queries if "wgec_cache" in query["sql"]]
