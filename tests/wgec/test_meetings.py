"""Meetings: dates, venue, chair, documents, and the list of participants as in Annex 2."""

import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from project.demo import demo_load
from tests.documents import pdf_text
from tests.factories import (
    AttendanceFactory,
    ContributionFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    ParticipantFactory,
    StakeholderGroupFactory,
)
from wgec.models import Participant, SummaryParagraph, TermsOfReference, TermsParagraph

pytestmark = pytest.mark.django_db


def test_second_meeting_lists_its_participants_as_in_annex_2(client):
    demo_load()
    response = client.get(reverse("meetings:detail", args=[2]))
    text = response.content.decode()
    headings = [section.heading for section in response.context["sections"]]
    assert headings == [
        "States Members of the Working Group",
        "Other Stakeholders Members of the Working Group",
        "Member States Observers",
        "Other Stakeholders Observers",
        "Secretariat",
    ]
    states = response.context["sections"][0]
    assert [group.heading for group in states.groups][:3] == [
        "Brazil",
        "Dominican Republic",
        "Finland",
    ]
    assert "Joy Liddicoat" in text
    assert "Ms. Joy Liddicoat, Programme Leader" in text
    liddicoat = next(
        person
        for section in response.context["sections"]
        for group in section.groups
        for person in group.participants
        if person.name == "Joy Liddicoat"
    )
    assert liddicoat.remote
    assert "(remote participant)" in text
    assert "Chairman&#x27;s summary of the second meeting" in text
    assert "Palais des Nations" in text


def test_meeting_page_links_the_contributions_to_be_discussed(client):
    demo_load()
    response = client.get(reverse("meetings:detail", args=[3]))
    titles = [contribution.title for contribution in response.context["contributions"]]
    assert titles, "the demo has contributions for the third meeting"
    assert all(c.state == "published" for c in response.context["contributions"])
    assert titles[0] in response.content.decode()


def test_meeting_documents_read_on_their_page(client):
    document = MeetingDocumentFactory(text="1. The meeting opened.\n\n2. <script>x</script>")
    response = client.get(reverse("meetings:document", args=[document.meeting.number, document.pk]))
    text = response.content.decode()
    assert "<p>1. The meeting opened.</p>" in text
    assert "<script>x</script>" not in text
    assert (
        client.get(
            reverse("meetings:document-file", args=[document.meeting.number, document.pk])
        ).status_code
        == 404
    )


def test_participants_list_downloads_as_docx_and_pdf(client):
    meeting = MeetingFactory(number=2, title="Second meeting")
    brazil = ParticipantFactory(
        name="Benedicto Fonseca",
        honorific="Mr.",
        country="BR",
        title="Director",
        organisation="Ministry of External Relations",
    )
    apc = ParticipantFactory(
        name="Joy Liddicoat",
        role=Participant.Role.COORDINATOR,
        stakeholder_group=StakeholderGroupFactory(slug="civil-society"),
        organisation="Association for Progressive Communications",
        country="NZ",
    )
    AttendanceFactory(meeting=meeting, participant=brazil)
    AttendanceFactory(meeting=meeting, participant=apc, remote=True)
    docx_response = client.get(reverse("meetings:participants-docx", args=[2]))
    assert docx_response["Content-Disposition"] == (
        'attachment; filename="second-meeting-list-of-participants.docx"'
    )
    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_response.content)).paragraphs]
    assert "States Members of the Working Group" in paragraphs
    assert "Brazil" in paragraphs
    assert "Mr. Benedicto Fonseca, Director, Ministry of External Relations" in paragraphs
    assert "Representatives from the civil society" in paragraphs
    assert any(p.endswith("(remote participant)") for p in paragraphs)
    pdf = pdf_text(client.get(reverse("meetings:participants-pdf", args=[2])).content)
    assert "List of participants" in pdf
    assert "Mr. Benedicto Fonseca, Director, Ministry of External Relations" in pdf
    assert "Joy Liddicoat" in pdf and "(remote participant)" in pdf


def test_unknown_meeting_is_not_found(client):
    assert client.get(reverse("meetings:detail", args=[9])).status_code == 404


@pytest.mark.parametrize("size", [5, 80])
def test_meeting_pages_keep_their_query_count(client, size, django_assert_max_num_queries):
    meeting = MeetingFactory(number=3)
    MeetingDocumentFactory.create_batch(3, meeting=meeting)
    ContributionFactory.create_batch(size // 5, meeting=meeting, state="published")
    for participant in ParticipantFactory.create_batch(size):
        AttendanceFactory(meeting=meeting, participant=participant)
    for position in range(size // 5):
        SummaryParagraph.objects.create(meeting=meeting, position=position, text="Discussed.")
    terms = TermsOfReference.objects.create(
        meeting=meeting, title="Terms of reference", agreed_on=meeting.end_date
    )
    for position in range(size // 5):
        TermsParagraph.objects.create(terms=terms, position=position, label="1.", text="Work.")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("meetings:list")).status_code == 200
    # The Chair's summary adds its paragraphs and its terms of reference with theirs.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("meetings:detail", args=[3])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("meetings:participants-docx", args=[3])).status_code == 200


def test_the_participants_list_is_written_in_the_visitors_language():
    meeting = MeetingFactory(number=2, title="Second meeting")
    brazil = ParticipantFactory(name="Benedicto Fonseca", honorific="Mr.", country="BR")
    AttendanceFactory(meeting=meeting, participant=brazil, remote=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    response = client.get(reverse("meetings:participants-docx", args=[2]))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert "Liste des participants" in paragraphs
    assert "États membres du Groupe de travail" in paragraphs
    assert any(p.endswith("(participation à distance)") for p in paragraphs)
    assert any(
        p.startswith("Second meeting, du 6 novembre 2013 au 8 novembre 2013") for p in paragraphs
    )
    pdf = pdf_text(client.get(reverse("meetings:participants-pdf", args=[2])).content)
    assert "Liste des participants" in pdf and "(participation à distance)" in pdf
    assert "Groupe de travail sur le renforcement de la coopération" in pdf
