"""This room's own sections of an issue's page (``issues/issue_page.py``): the correspondence
group's comments, the answers that raised the issue, and the change history. Registered by
``IssuesConfig.ready``, like the sections of the rooms above."""

from collections import Counter

from issues.forms import CommentForm
from issues.issue_history import issue_history
from issues.issue_page import IssuePage, IssueSection, issue_section_register
from issues.models import Comment
from wgec.roles import Role


def comments_context(page: IssuePage) -> dict:
    """The comments themselves are shown to signed-in people; members may add one."""
    context: dict = {"show_correspondence": page.role >= Role.OBSERVER}
    if page.role >= Role.OBSERVER:
        context["comments"] = Comment.objects.filter(issue=page.issue).with_authors()
        if page.can_speak:
            context["comment_form"] = CommentForm()
    return context


def sources_context(page: IssuePage) -> dict:
    """The answers that raised the issue; respondents who did not consent to be cited are only
    counted, by stakeholder group."""
    sources = list(page.issue.sources.all())
    withheld = Counter(
        source.answer.respondent.stakeholder_group.name
        for source in sources
        if not source.answer.respondent.consent_to_cite
    )
    return {
        "cited_sources": [source for source in sources if source.answer.respondent.consent_to_cite],
        "withheld_sources": sorted(withheld.items()),
        "withheld_count": sum(withheld.values()),
    }


def history_context(page: IssuePage) -> dict:
    history = issue_history(page.issue, page=page)
    return {
        "history": history,
        # The demonstration's replay: the record does not say when the map changed, or who
        # changed it (its respondents are fictional, so their presence tells).
        "replayed": bool(history) and page.issue.replayed,
    }


def register() -> None:
    for section in (
        # Each person's own comments have their edit links, and members a form to post one.
        IssueSection(
            "comments", 70, "issues/_issue_comments.html", comments_context, personal=True
        ),
        IssueSection("sources", 80, "issues/_issue_sources.html", sources_context),
        IssueSection("history", 90, "issues/_issue_history.html", history_context),
    ):
        issue_section_register(section)
