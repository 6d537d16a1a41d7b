"""Whatever a person types is shown inert: no script, no event handler, no ``javascript:``
link on any page that shows user text (the ``markdown`` filter and autoescaping)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consensus.models import Proposal
from tests.factories import (
    CommentFactory,
    ConsensusItemFactory,
    ContributionFactory,
    CoverageFactory,
    IssueFactory,
    JoinRequestFactory,
    OptionFactory,
    OptionSupportFactory,
    ProposalFactory,
)
from wgec.documents.markdown import render

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '"><script>alert(1)</script>',
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[spaced](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![pic](javascript:alert(1))",
    "<b onmouseover=alert(1)>bold</b>",
    "<style>body{display:none}</style>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
]
HOSTILE_TEXT = "\n\n".join(HOSTILE)
HOSTILE_LINE = " ".join(HOSTILE)


class _Live(HTMLParser):
    """Collects whatever in a page could run."""

    RUNNABLE_TAGS = {"script", "iframe", "svg", "object", "embed", "style"}

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        # <link rel="icon" href="data:,"> in base.html is the page's own.
        if tag in self.RUNNABLE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if (
                tag != "link"
                and name in {"href", "src", "action", "formaction", "style"}
                and (
                    value.startswith(("javascript:", "data:", "vbscript:"))
                    or "javascript:" in value
                )
            ):
                self.problems.append(f"{tag} {name}={value}")


def _runnable(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.problems


@pytest.mark.parametrize("text", HOSTILE)
def test_the_filter_leaves_nothing_runnable(text):
    assert _runnable(render(text)) == []


def test_every_page_with_user_text_shows_it_inert(
    member_user, member_client, coordinator_client, chair_client, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = member_user.participant
    issue = IssueFactory()
    coverage = CoverageFactory(issue=issue, evidence=HOSTILE_LINE)
    CommentFactory(issue=issue, author=member, text=HOSTILE_TEXT)
    proposals = [
        ProposalFactory(
            issue=issue,
            coverage=coverage,
            proposer=member,
            justification=HOSTILE_TEXT,
            evidence=HOSTILE_TEXT,
        ),
        ProposalFactory(
            kind=Proposal.Kind.ISSUE,
            issue=None,
            coverage=None,
            title=HOSTILE_LINE[:300],
            description=HOSTILE_TEXT,
            proposer=member,
            justification=HOSTILE_TEXT,
        ),
        ProposalFactory(
            kind=Proposal.Kind.MECHANISM,
            coverage=None,
            issue=issue,
            mechanism_name=HOSTILE_LINE[:300],
            mechanism_website="https://example.org/?q=<script>",
            proposer=member,
            justification=HOSTILE_TEXT,
        ),
        ProposalFactory(
            kind=Proposal.Kind.GAP,
            coverage=None,
            issue=issue,
            gap_type="policy",
            gap_description=HOSTILE_TEXT,
            gap_recommendation=HOSTILE_TEXT,
            proposer=member,
            justification=HOSTILE_TEXT,
        ),
    ]
    item = ConsensusItemFactory(
        issue=issue, summary=HOSTILE_TEXT, state="referred", referred_on=datetime.date(2014, 1, 2)
    )
    option = OptionFactory(item=item, label="A", text=HOSTILE_TEXT)
    OptionSupportFactory(option=option, participant=member)
    contribution = ContributionFactory(author=member, title=HOSTILE_LINE[:300], text=HOSTILE_TEXT)
    join_request = JoinRequestFactory(name=HOSTILE_LINE[:200], note=HOSTILE_TEXT)
    pages = [
        (client, issue.get_absolute_url()),
        (member_client, issue.get_absolute_url()),
        (member_client, reverse("issues:proposal-list")),
        (member_client, reverse("wgec:account")),
        (coordinator_client, reverse("issues:proposal-queue")),
        *[(member_client, p.get_absolute_url()) for p in proposals],
        (member_client, reverse("issues:proposal-edit", args=[proposals[0].pk])),
        (client, reverse("issues:referrals")),
        (member_client, reverse("issues:item-detail", args=[item.pk])),
        (coordinator_client, reverse("issues:option-edit", args=[option.pk])),
        (chair_client, reverse("issues:item-decide", args=[item.pk])),
        (client, reverse("wgec:contribution-list")),
        (client, reverse("wgec:contribution-list") + "?by=group"),
        (client, contribution.get_absolute_url()),
        (coordinator_client, reverse("wgec:join-requests")),
        (coordinator_client, reverse("wgec:join-request", args=[join_request.pk])),
    ]
    for persona, url in pages:
        response = persona.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert _runnable(html) == [], url
        # What was typed is still there for people to read, as text.
        assert "alert(1)" in html or "alert(&#x27;x&#x27;)" in html, url
