"""This room's part of an issue's page: a link to the issue's thread in the list's archive."""

from inbound.views import reads_comments
from issues.issue_page import IssuePage, IssueSection, issue_section_register


def archive_context(page: IssuePage) -> dict:
    if not reads_comments(page.request):
        return {"email_count": 0}
    return {"email_count": page.issue.comments.filter(by_email=True).count()}


def register() -> None:
    # Right after the comments (70).
    issue_section_register(
        IssueSection("archive", 75, "inbound/_issue_archive.html", archive_context)
    )
