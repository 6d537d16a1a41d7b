"""The public pages' cached content (an issue's page, the responses' pages, the referrals):
served from the cache to anonymous visitors, never stale (any write to a table they read, by
whatever path, shows at once), and never given to a signed-in visitor."""

import datetime

import pytest
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
    OptionFactory,
    QuestionFactory,
    RespondentFactory,
    SubscriberFactory,
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
