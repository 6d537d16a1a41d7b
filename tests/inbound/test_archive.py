"""The list's archive: reports as sent with their replies, issues' threads, search; replies and
comments only for those allowed to read comments; flat query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CommentFactory,
    DeliverableFactory,
    IssueFactory,
    ReportFactory,
    ReportReplyFactory,
)

pytestmark = pytest.mark.django_db


def sent_report(slug: str, subject: str, body: str):
    return ReportFactory(
        deliverable=DeliverableFactory(slug=slug),
        subject=subject,
        body_text=body,
        body_html=f"<p>{body}</p>",
        content={"slug": slug},
        composed_at=timezone.now(),
        sent_at=timezone.now(),
    )


@pytest.fixture
def archive():
    first = sent_report("update-1", "First update report", "Twelve issues were added.")
    second = sent_report("update-2", "Second update report", "Coverage was reviewed.")
    for n in range(3):
        ReportReplyFactory(report=first, text=f"Reply {n} about <script>alert(1)</script> forums")
    ReportReplyFactory(report=second, text="Agreed on spam.")
    issue = IssueFactory(title="Cybercrime")
    CommentFactory(issue=issue, by_email=True, text="From my desk: regional forums matter.")
    CommentFactory(issue=issue, text="Typed on the site.")
    return first, second, issue


def test_the_archive_lists_reports_and_threads_with_their_counts(observer_client, archive):
    page = observer_client.get(reverse("inbound:index"))
    text = page.content.decode()
    assert page.context["reports"][0].reply_count in (1, 3)
    assert {r.subject: r.reply_count for r in page.context["reports"]} == {
        "First update report": 3,
        "Second update report": 1,
    }
    assert [issue.title for issue in page.context["threads"]] == ["Cybercrime"]
    assert "1 by e-mail" in text


def test_the_archive_is_searched_in_reports_replies_and_comments(observer_client, archive):
    page = observer_client.get(reverse("inbound:index"), {"q": "FORUMS"})
    assert [r.subject for r in page.context["reports"]] == ["First update report"]
    assert [issue.title for issue in page.context["threads"]] == ["Cybercrime"]
    page = observer_client.get(reverse("inbound:index"), {"q": "coverage"})
    assert [r.subject for r in page.context["reports"]] == ["Second update report"]
    assert list(page.context["threads"]) == []


def test_anonymous_visitors_see_the_reports_but_not_the_replies(client, archive):
    first, _, issue = archive
    index = client.get(reverse("inbound:index"), {"q": "forums"})
    assert index.context["reports"] == []  # replies are not searched for them
    page = client.get(reverse("inbound:report", args=["update-1"])).content.decode()
    assert "Twelve issues were added." in page
    assert "Reply 0" not in page and "Log in" in page
    thread = client.get(reverse("inbound:issue", args=[issue.pk])).content.decode()
    assert "regional forums" not in thread


def test_a_report_page_shows_what_was_sent_and_the_replies_escaped(observer_client, archive):
    page = observer_client.get(reverse("inbound:report", args=["update-1"]))
    text = page.content.decode()
    assert "Twelve issues were added." in text
    assert text.count('class="comment"') == 3
    assert "<script>alert(1)</script>" not in text
    assert "by e-mail" in text


def test_an_issue_thread_marks_the_comments_by_email(observer_client, archive):
    _, _, issue = archive
    text = observer_client.get(reverse("inbound:issue", args=[issue.pk])).content.decode()
    assert "regional forums matter" in text and "Typed on the site." in text
    assert text.count("· by e-mail") == 1


def test_the_issue_page_links_to_its_thread(observer_client, archive):
    _, _, issue = archive
    text = observer_client.get(issue.get_absolute_url()).content.decode()
    assert reverse("inbound:issue", args=[issue.pk]) in text
    assert "(1 comment by e-mail)" in text


def test_an_unsent_report_has_no_archive_page(observer_client):
    ReportFactory(deliverable=DeliverableFactory(slug="update-9"))
    assert observer_client.get(reverse("inbound:report", args=["update-9"])).status_code == 404


def test_the_archive_pages_keep_their_query_counts_as_replies_grow(
    observer_client, archive, django_assert_max_num_queries
):
    first, _, issue = archive
    for n in range(30):
        ReportReplyFactory(report=first)
        CommentFactory(issue=IssueFactory(title=f"Issue {n}"), by_email=True)
        CommentFactory(issue=issue, by_email=True)
    with django_assert_max_num_queries(12):
        observer_client.get(reverse("inbound:index"), {"q": "a"})
    with django_assert_max_num_queries(12):
        observer_client.get(reverse("inbound:report", args=["update-1"]))
    with django_assert_max_num_queries(12):
        observer_client.get(reverse("inbound:issue", args=[issue.pk]))
