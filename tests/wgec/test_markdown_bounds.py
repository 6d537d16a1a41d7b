"""Markdown is rendered once, when saved, by a bounded renderer; pages show the stored HTML."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from issues.models import Comment
from tests.factories import CommentFactory, ContributionFactory, IssueFactory, OptionFactory
from wgec.documents.markdown import MARKDOWN_MAX_CHARS, render

pytestmark = pytest.mark.django_db


def test_ten_thousand_brackets_render_as_text():
    html = render("[" * 10_000)
    assert html == f"<p>{'[' * 10_000}</p>\n"


def test_a_list_nested_three_hundred_deep_is_shown_as_typed():
    text = "".join("  " * depth + f"- a{depth}\n" for depth in range(300))
    html = render(text)
    assert "<ul>" not in html
    assert html.startswith("<p>- a0<br>  - a1<br>")
    assert html.endswith("- a299<br></p>")


def test_quotes_nested_three_hundred_deep_are_shown_as_typed_with_nothing_lost():
    html = render("> " * 300 + "<b>deep</b>")
    assert html == "<p>" + "&gt; " * 300 + "&lt;b&gt;deep&lt;/b&gt;</p>"


def test_lists_nested_a_few_levels_render_as_lists():
    html = render("- a\n  - b\n    - c\n")
    assert html.count("<ul>") == 3


def test_the_longest_accepted_comment_of_emphasis_markers_renders():
    html = render("*a" * (MARKDOWN_MAX_CHARS // 2))
    assert html.startswith("<p><em>a</em>a<em>a</em>")


def test_the_html_is_stored_when_saved_and_follows_an_edit():
    comment = CommentFactory(text="See **Convention 108**.")
    assert comment.text_html == "<p>See <strong>Convention 108</strong>.</p>\n"
    comment.text = "Now *this*."
    comment.save()
    comment.refresh_from_db()
    assert comment.text_html == "<p>Now <em>this</em>.</p>\n"


def test_bulk_created_rows_store_their_html_too():
    issue = IssueFactory()
    author = CommentFactory(issue=issue).author
    [comment] = Comment.objects.bulk_create([Comment(issue=issue, author=author, text="*x*")])
    assert Comment.objects.get(pk=comment.pk).text_html == "<p><em>x</em></p>\n"


def test_showing_comments_options_and_contributions_never_parses_markdown(
    member_client, member_user, monkeypatch
):
    issue = IssueFactory()
    CommentFactory(issue=issue, text="See **Convention 108**.")
    OptionFactory(item__issue=issue, text="Option *text*.")
    contribution = ContributionFactory(author=member_user.participant, text="A **paper**.")

    def refuse(*args, **kwargs):
        raise AssertionError("a page parsed Markdown")

    monkeypatch.setattr("markdown_it.MarkdownIt.render", refuse)
    monkeypatch.setattr("markdown_it.MarkdownIt.parse", refuse)
    issue_page = member_client.get(issue.get_absolute_url()).content.decode()
    assert "See <strong>Convention 108</strong>." in issue_page
    assert "Option <em>text</em>." in issue_page
    contribution_page = member_client.get(contribution.get_absolute_url()).content.decode()
    assert "A <strong>paper</strong>." in contribution_page


def test_stored_html_is_sanitised_again_when_shown(member_client):
    issue = IssueFactory()
    comment = CommentFactory(issue=issue, text="fine")
    Comment.objects.filter(pk=comment.pk).update(text_html="<p onclick=x()>hi<script>x()</script>")
    page = member_client.get(issue.get_absolute_url()).content.decode()
    assert "<p>hi</p>" in page
    assert "onclick=x()" not in page


def test_a_comment_over_the_limit_is_refused_naming_the_limit_and_nothing_is_written(
    member_client,
):
    issue = IssueFactory()
    response = member_client.post(
        reverse("issues:comment-create", args=[issue.pk]), {"text": "*a" * 500_000}
    )
    assert response.status_code == 200
    assert (
        "A comment is limited to 20,000 characters; this one has 1,000,000."
        in response.content.decode()
    )
    assert Comment.objects.count() == 0


def test_the_migration_renders_rows_written_before_it():
    comment = CommentFactory(text="*old*")
    Comment.objects.filter(pk=comment.pk).update(text_html="")
    migration = importlib.import_module("issues.migrations.0009_stored_html_of_comments")
    migration.render_existing(apps, None)
    comment.refresh_from_db()
    assert comment.text_html == "<p><em>old</em></p>\n"
