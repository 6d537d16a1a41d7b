"""The public pages' cached content (an issue's page, the responses' pages, the referrals):
served from the cache to anonymous visitors and to signed-in ones alike where it is the same for
them, by role where it shows a role's controls, never stale (any write to a table they read, by
whatever path, shows at once), and never holding what is a person's own."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consensus.models import Option
from issues.models import Answer
from reports.models import Subscriber
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ConsensusItemFactory,
    DecisionFactory,
    IssueFactory,
    IssueSourceFactory,
    OptionFactory,
    ParticipantFactory,
    QuestionFactory,
    RespondentFactory,
    SubscriberFactory,
    UserFactory,
)
from wgec.page_cache import public_version

pytestmark = pytest.mark.django_db

# A cached hit: the page's own first read (whether the record exists), the version's token
# and the cache's row (the tests' cache is the database's).
HIT = 3


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def item():
    item = ConsensusItemFactory(summary="Whether spam belongs on the map.")
    OptionFactory(item=item, label="A", text="[Keep spam on the map.]")
    return item


def test_a_changed_option_shows_on_the_cached_issue_page_at_once(
    client, item, django_assert_max_num_queries
):
    url = reverse("issues:detail", args=[item.issue_id])
    assert "[Keep spam on the map.]" in _text(client, url)
    with django_assert_max_num_queries(HIT):
        cached = _text(client, url)
    # Markup, not escaped text; the visitor's own header drawn around it.
    assert "[Keep spam on the map.]" in cached and "&lt;h1" not in cached
    # A bulk update: no save(), no signal, no history; the database changes the version.
    Option.objects.filter(item=item).update(
        text="[Take spam off the map.]", text_html="<p>[Take spam off the map.]</p>"
    )
    text = _text(client, url)
    assert "[Take spam off the map.]" in text and "[Keep spam on the map.]" not in text


def test_a_new_option_and_a_decision_show_on_the_cached_referrals_at_once(
    client, django_assert_max_num_queries
):
    item = ConsensusItemFactory(state="referred", referred_on=datetime.date(2014, 1, 28))
    url = reverse("issues:referrals")
    assert "[Drop the issue.]" not in _text(client, url)
    with django_assert_max_num_queries(HIT - 1):  # no record read before the cache
        _text(client, url)
    OptionFactory(item=item, label="B", text="[Drop the issue.]")
    assert "[Drop the issue.]" in _text(client, url)
    DecisionFactory(item=item)
    assert "The working group keeps the issue on the map." in _text(client, url)


def test_a_new_answer_shows_on_the_cached_question_and_respondent_pages_at_once(
    client, django_assert_max_num_queries
):
    question = QuestionFactory(number=4, code="Q4")
    respondent = RespondentFactory(name="Ministry of Examples")
    AnswerFactory(question=question, respondent=respondent, text="Spam first.")
    question_url = reverse("issues:question-detail", args=["Q4"])
    respondent_url = reverse("issues:respondent-detail", args=[respondent.pk])
    for url in (question_url, respondent_url):
        assert "Spam first." in _text(client, url)
        with django_assert_max_num_queries(HIT + 1):  # the question list, or the respondent
            _text(client, url)
    Answer.objects.filter(respondent=respondent).update(text="Cybercrime first.")
    for url in (question_url, respondent_url):
        text = _text(client, url)
        assert "Cybercrime first." in text and "Spam first." not in text


def test_a_new_respondent_shows_on_the_cached_respondents_and_statistics_at_once(
    client, django_assert_max_num_queries
):
    RespondentFactory(name="Ministry of Examples")
    list_url, statistics_url = reverse("issues:respondent-list"), reverse("issues:statistics")
    assert "Ministry of Examples" in _text(client, list_url)
    assert "1 respondent" in _text(client, statistics_url)
    for url in (list_url, statistics_url):
        with django_assert_max_num_queries(HIT - 1):
            _text(client, url)
    RespondentFactory(name="Society of Examples", country="KE")
    assert "Society of Examples" in _text(client, list_url)
    assert "2 respondents" in _text(client, statistics_url)


def test_an_item_without_consensus_shows_on_the_cached_home_page_at_once(
    client, django_assert_max_num_queries
):
    def items_shown() -> str:
        return _text(client, "/").split("Items without consensus</dt><dd>")[1].split("<")[0]

    IssueFactory()
    assert items_shown() == "0"
    with django_assert_max_num_queries(HIT - 1):
        assert items_shown() == "0"
    ConsensusItemFactory()
    assert items_shown() == "1"


def test_a_signed_in_member_never_gets_the_anonymous_issue_page(client, member_client, item):
    CommentFactory(issue=item.issue, text="Only the correspondence group reads this.")
    url = reverse("issues:detail", args=[item.issue_id])
    anonymous = _text(client, url)
    assert "Only the correspondence group reads this." not in anonymous
    member = _text(member_client, url)
    assert "Only the correspondence group reads this." in member
    assert "csrfmiddlewaretoken" in member  # the member's own comment form
    # ... and what the member was shown is not what the next anonymous visitor gets.
    assert "Only the correspondence group reads this." not in _text(client, url)


def test_writes_to_what_public_pages_read_change_the_version_and_others_do_not():
    issue = IssueFactory()
    before = public_version()
    CommentFactory(issue=issue)
    after_comment = public_version()
    assert after_comment != before
    SubscriberFactory()
    Subscriber.objects.update(language="fr")
    assert public_version() == after_comment  # the mailing list shows on no public page


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_version_changes_when_the_writing_transaction_commits():
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite changes the version at each write; its writers take turns")
    answer = AnswerFactory(text="Spam first.")
    before = public_version()
    with transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(text="Cybercrime first.")
        Option.objects.all().delete()
        assert public_version() == before  # noted, not yet set: set once, at the commit
    assert public_version() not in {before, None}


# Signed-in visitors: the content is shared by every visitor of a role, and what is the person's
# own (their comments' edit links, the comment form with its CSRF token) is rendered for each.


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _text(client, url)
    return len(queries)


# A member who did not comment on the issue: the session, the member's user with their
# participant record (their role, the participant they speak as), whether they commented there,
# the version's token and the cache's row (the page kept whole for the members). One who did: the
# same, the issue's look-up, then the comments section, their own: the comments with their
# authors (the rest of the content from the cache).
@pytest.mark.parametrize(("own", "expected"), [(False, 5), (True, 7)])
def test_a_members_second_visit_of_an_issue_page_is_served_from_the_cache(
    member_client, member_user, item, django_assert_num_queries, own, expected
):
    author = member_user.participant if own else ParticipantFactory(correspondence_group=True)
    comment = CommentFactory(issue=item.issue, author=author, text="Regional work matters.")
    url = reverse("issues:detail", args=[item.issue_id])
    built = _queries(member_client, url)
    with django_assert_num_queries(expected):
        cached = _text(member_client, url)
    assert built > expected
    assert "[Keep spam on the map.]" in cached and "Regional work matters." in cached
    assert "csrfmiddlewaretoken" in cached  # the member's own comment form
    edit = reverse("issues:comment-edit", args=[comment.pk])
    assert (edit in cached) is own


def test_a_change_by_another_person_shows_to_a_member_at_once(member_client, item):
    url = reverse("issues:detail", args=[item.issue_id])
    assert "[Keep spam on the map.]" in _text(member_client, url)
    _text(member_client, url)  # from the cache
    CommentFactory(issue=item.issue, text="A comment posted by another member.")
    Option.objects.filter(item=item).update(text_html="<p>[Take spam off the map.]</p>")
    text = _text(member_client, url)
    assert "A comment posted by another member." in text
    assert "[Take spam off the map.]" in text and "[Keep spam on the map.]" not in text


def test_a_coordinator_and_a_member_never_see_each_others_controls_through_the_cache(
    client, coordinator_client, member_client, observer_client, item
):
    url = reverse("issues:detail", args=[item.issue_id])
    mark, propose = "Mark as without consensus", "State which option you support"
    # Each visit twice: the second one is served from the cache its role shares.
    for _ in range(2):
        coordinator = _text(coordinator_client, url)
        member = _text(member_client, url)
        observer = _text(observer_client, url)
        anonymous = _text(client, url)
        assert mark in coordinator and propose in coordinator
        assert mark not in member and propose in member
        assert mark not in observer and propose not in observer
        assert mark not in anonymous and propose not in anonymous


def test_a_persons_own_comment_controls_never_show_to_another(
    member_user, member_client, item, monkeypatch
):
    from django.core.cache import cache

    own = CommentFactory(issue=item.issue, author=member_user.participant, text="My own words.")
    other_member = Client()
    other_member.force_login(ParticipantFactory(correspondence_group=True, user=UserFactory()).user)
    stored = []
    set_in_cache = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, *args: (stored.append(value), set_in_cache(key, value, *args)),
    )
    url = reverse("issues:detail", args=[item.issue_id])
    edit = reverse("issues:comment-edit", args=[own.pk])
    for _ in range(2):
        assert edit in _text(member_client, url)
        other = _text(other_member, url)
        assert "My own words." in other and edit not in other
        assert "csrfmiddlewaretoken" in other  # the other member's own comment form
    # The shared content holds neither the edit link nor a form's CSRF token, nor the comments;
    # the page kept whole for the members who did not comment there holds the comments, but
    # neither the edit link nor the other member's CSRF token.
    assert len(stored) == 2
    shared = str(stored[0])
    assert edit not in shared and "csrfmiddlewaretoken" not in shared
    assert "My own words." not in shared
    whole = stored[1][0].decode()
    assert "My own words." in whole and edit not in whole
    assert 'name="csrfmiddlewaretoken" value="\x00csrf-token\x00"' in whole


def test_signed_in_visitors_share_the_pages_that_are_the_same_for_everyone(
    client, member_client, observer_client, django_assert_max_num_queries
):
    RespondentFactory(name="Ministry of Examples")
    for url in ("/", reverse("issues:respondent-list"), reverse("issues:statistics")):
        _text(client, url)  # built once, for everyone
        for signed_in in (member_client, observer_client):
            _text(signed_in, url)  # the same content, its page kept for the role
            # Then served whole: their session, their user with their role, the public pages'
            # version and the cache's row.
            with django_assert_max_num_queries(4):
                _text(signed_in, url)
    RespondentFactory(name="Society of Examples")
    assert "Society of Examples" in _text(member_client, reverse("issues:respondent-list"))


def test_the_proposed_issues_a_respondent_raised_are_cached_for_signed_in_visitors_only(
    client, member_client, observer_client
):
    respondent = RespondentFactory(name="Ministry of Examples")
    answer = AnswerFactory(respondent=respondent)
    IssueSourceFactory(answer=answer, issue=IssueFactory(title="Spam on the map"))
    IssueSourceFactory(
        answer=answer, issue=IssueFactory(title="Spam off the map", state="proposed")
    )
    url = reverse("issues:respondent-detail", args=[respondent.pk])
    for _ in range(2):  # the second visits are served from the cache of each role
        for signed_in in (member_client, observer_client):
            assert "Spam off the map" in _text(signed_in, url)
        anonymous = _text(client, url)
        assert "Spam on the map" in anonymous and "Spam off the map" not in anonymous
