"""A mechanism's name accepted through a member's proposal reaches the Chair's compose page,
its HTML preview and its plain-text version as text, never as markup."""

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

    # The one iframe is the page's own sandboxed preview of the HTML message.
    assert _runnable(page) == ["<iframe>"]
    assert '<iframe class="mail-preview" title="The HTML message" sandbox ' in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the plain-text version, as text
    frames = _Frames()
    frames.feed(page)
    [preview] = frames.documents
    assert _runnable(preview) == []
    assert "&lt;img src=x onerror=alert(1)&gt; (XSS)" in preview
