"""Contributions: posted by members and the secretariat with documents, published by the
secretariat, listed by meeting and by stakeholder group, downloaded under a safe name."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from tests.factories import ContributionFactory, MeetingFactory, ParticipantFactory
from wgec.models import Contribution, ContributionDocument
from wgec.services import contribution_submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, **values):
    meeting = MeetingFactory(number=3, title="Third meeting")
    data = {
        "title": "Framework for the outcome document",
        "kind": "framework",
        "meeting": meeting.pk,
        "text": "1. Introduction\n\n2. *Principles*",
        **values,
    }
    return client.post(reverse("wgec:contribution-create"), data)


def test_member_posts_a_contribution_with_documents_then_the_secretariat_publishes_it(
    member_client, member_user, secretariat_client, client
):
    response = _post(
        member_client,
        documents=[
            SimpleUploadedFile("Framework (India) v2.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("notes.txt", b"Plain notes", "text/plain"),
        ],
    )
    contribution = Contribution.objects.get()
    assert response["Location"] == contribution.get_absolute_url()
    assert contribution.author == member_user.participant and contribution.state == "submitted"
    assert contribution.documents.count() == 2
    # Not public until published; the author sees it.
    assert client.get(contribution.get_absolute_url()).status_code == 404
    assert member_client.get(contribution.get_absolute_url()).status_code == 200
    secretariat_client.post(
        reverse("admin:wgec_contribution_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [contribution.pk]},
    )
    contribution.refresh_from_db()
    assert contribution.state == "published" and contribution.published_at
    listing = client.get(reverse("wgec:contribution-list")).content.decode()
    assert "Framework for the outcome document" in listing and "Third meeting" in listing
    assert 'A Member <span class="group">(Governments)</span>' in listing
    document = contribution.documents.get(original_name="Framework (India) v2.pdf")
    download = client.get(reverse("wgec:contribution-document", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="Framework_India_v2.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    assert list(Contribution.objects.for_meeting(contribution.meeting)) == [contribution]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("setup.exe", b"MZ\x90\x00", "is not a PDF, DOCX, DOC, ODT, TXT or XLSX file"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "does not look like a PDF file"),
        ("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), "is larger than 1 MB"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_documents_outside_the_allow_list_or_too_large_are_refused(
    member_client, settings, name, content, problem
):
    settings.CONTRIBUTION_DOCUMENT_MAX_MB = 1
    response = _post(member_client, documents=[SimpleUploadedFile(name, content)])
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not Contribution.objects.exists() and not ContributionDocument.objects.exists()


def test_a_submission_that_fails_leaves_no_document_behind(member_user, tmp_path, monkeypatch):
    saves = []

    def save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise DatabaseError("the connection was lost")
        return original(self, *args, **kwargs)

    original = ContributionDocument.save
    monkeypatch.setattr(ContributionDocument, "save", save)
    with pytest.raises(DatabaseError):
        contribution_submit(
            author=member_user.participant,
            title="Draft recommendations",
            kind="recommendations",
            text="1. Capacity building.",
            documents=[
                SimpleUploadedFile("first.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("second.pdf", PDF, "application/pdf"),
            ],
            user=member_user,
        )
    assert not Contribution.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_secretariat_posts_on_behalf_of_a_participant(secretariat_client):
    india = ParticipantFactory(name="B.N. Reddy", country="IN")
    _post(secretariat_client, author=india.pk)
    assert Contribution.objects.get().author == india


def test_observers_cannot_post(observer_client):
    assert _post(observer_client).status_code == 403
    assert not Contribution.objects.exists()


def test_list_by_stakeholder_group(client):
    ContributionFactory(title="Civil society view", author__stakeholder_group__slug="civil-society")
    ContributionFactory(title="A government view")
    ContributionFactory(title="Not yet published", state="submitted", published_at=None)
    page = client.get(reverse("wgec:contribution-list"), {"by": "group"}).content.decode()
    assert page.index("Governments") < page.index("A government view")
    assert page.index("Civil society</h2>") < page.index("Civil society view")
    assert "Not yet published" not in page


@pytest.mark.parametrize("size", [1, 25])
def test_contribution_list_query_count_is_flat(size, client, django_assert_max_num_queries):
    ContributionFactory.create_batch(size)
    ContributionFactory.create_batch(size, meeting=None)
    for by in ("meeting", "group"):
        with django_assert_max_num_queries(4):
            assert client.get(reverse("wgec:contribution-list"), {"by": by}).status_code == 200
