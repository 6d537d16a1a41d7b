"""A mechanism's name accepted through a member's proposal reaches the Chair's compose page,
its HTML preview and its plain-text version as text, never as markup."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consensus.models import Proposal
from tests.factories import DeliverableFactory, IssueFactory, ParticipantFactory
from tests.test_user_text import _runnable
from wgec.models import Participant

pytestmark = pytest.mark.django_db

NAME = "<img src=x onerror=alert(1)>"


class _Frames(HTMLParser):
    """The documents of the page's iframes (their srcdoc, as the browser reads it)."""

    def __init__(self):
        super().__init__()
        self.documents = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.documents.append(dict(attrs).get("srcdoc") or "")


def test_a_mechanism_named_as_markup_shows_as_text_on_the_chairs_compose_page(
    member_client, coordinator_client
):
    ParticipantFactory(name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org")
    issue = IssueFactory(title="Cybercrime")
    DeliverableFactory(slug="update-1", title="First update report")
    member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "mechanism"]),
        {
            "mechanism_name": NAME,
            "mechanism_acronym": "XSS",
            "mechanism_kind": "multistakeholder",
            "mechanism_website": "https://example.org/",
            "status": "partly",
            "justification": "It exists.",
        },
    )
    proposal = Proposal.objects.get()
    coordinator_client.post(reverse("issues:proposal-accept", args=[proposal.pk]))

    page = coordinator_client.get("/reports/update-1/compose/").content.decode()

    # The one script is the page's own file that sizes the preview; the one iframe is the
    # preview of the HTML message, sandboxed: nothing in it may run.
    assert _runnable(page) == ["<script>", "<iframe>"]
    assert re.search(r'<script src="/static/js/mail_preview[.\w]*\.js" defer></script>', page)
    frame_tag = re.search(r"<iframe [^>]*>", page).group(0)
    assert 'class="mail-preview" title="The HTML message" sandbox="allow-same-origin" ' in frame_tag
    assert "allow-scripts" not in frame_tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the plain-text version, as text
    frames = _Frames()
    frames.feed(page)
    [preview] = frames.documents
    assert _runnable(preview) == []
    assert "&lt;img src=x onerror=alert(1)&gt; (XSS)" in preview


def test_the_admin_shows_markup_in_read_only_fields_and_lists_as_text(
    secretariat_client, member_user
):
    from tests.factories import ProposalFactory

    issue = IssueFactory(title=NAME)
    proposal = ProposalFactory(
        kind=Proposal.Kind.MECHANISM,
        coverage=None,
        issue=issue,
        mechanism_name=NAME,
        proposer=member_user.participant,
        justification=NAME,
        reason=NAME,
    )
    pages = [
        reverse("admin:consensus_proposal_change", args=[proposal.pk]),
        reverse("admin:consensus_proposal_changelist"),
        reverse("admin:consensus_proposal_history", args=[proposal.pk]),
        reverse("admin:issues_issue_change", args=[issue.pk]),
    ]
    for url in pages:
        page = secretariat_client.get(url).content.decode()
        # The admin's own scripts come from files (or are JSON data): nothing inline runs.
        own = {"<script>", "<svg>"}  # the admin's own scripts and icons
        assert [problem for problem in _runnable(page) if problem not in own] == [], url
        assert re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json))", page) == [], url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
