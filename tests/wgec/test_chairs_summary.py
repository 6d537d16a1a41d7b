"""The Chair's summary of a meeting, produced as a document from the meeting's records in the
seed's form: numbered paragraphs, the terms of reference as Annex 1, the participants as Annex 2."""

import io

import docx
import pytest
from django.urls import reverse

from project.demo import demo_load
from tests.documents import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_meeting(db):
    demo_load()


def test_coordinators_produce_the_second_meetings_summary_as_docx(
    second_meeting, coordinator_client
):
    response = coordinator_client.get(reverse("meetings:summary-docx", args=[2]))
    assert response.status_code == 200
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert "Chairman's summary of the meeting" in texts
    assert any("Second meeting of the Working Group on Enhanced Cooperation" in t for t in texts)
    body = texts[: texts.index("Annex 1")]
    numbered = [t for t in body if t[:2].rstrip(".").isdigit() and "\t" in t]
    assert len(numbered) == 8
    assert numbered[0].startswith("1.\tThe second meeting of the Working Group")
    assert numbered[7].startswith("8.\tThe Members of the Working Group decided")
    assert (
        "b. Replies related to public policy issue and possible mechanisms (Questions 4, 8 and 9);"
        in texts
    )
    annex = texts.index("Annex 1")
    assert texts[annex + 1] == "Final Terms of Reference for the Correspondence Group of WGEC"
    assert texts[annex + 2].startswith("1.\tThe correspondence group will work electronically.")
    assert (
        "(NB)\tAdditional issues may be added to the identified public policy issues if "
        + ("agreed by the WGEC.")
        in texts
    )
    assert "8 November 2013." in texts
    participants = texts.index("Annex 2")
    assert texts[participants + 1] == "List of participants"
    assert sum("(remote participant)" in t for t in texts[participants:]) == 7
    assert "Iran (Islamic Republic of)" in texts[participants:]


def test_the_summary_as_pdf_reads_the_same(second_meeting, coordinator_client):
    response = coordinator_client.get(reverse("meetings:summary-pdf", args=[2]))
    text = " ".join(pdf_text(response.content).split())
    assert "Chairman's summary of the meeting" in text
    assert "1. The second meeting of the Working Group" in text
    assert "Annex 1 Final Terms of Reference" in text
    assert "Annex 2 List of participants" in text


def test_the_meeting_page_shows_the_summary_and_only_coordinators_the_downloads(
    second_meeting, client, coordinator_client
):
    page = client.get(reverse("meetings:detail", args=[2])).content.decode()
    assert "Chairman's summary of the meeting" in page
    assert "Mr. Philip Rushton volunteered to coordinate" in page
    assert reverse("meetings:summary-docx", args=[2]) not in page
    page = coordinator_client.get(reverse("meetings:detail", args=[2])).content.decode()
    assert reverse("meetings:summary-docx", args=[2]) in page


def test_a_meeting_without_a_summary_has_no_summary_document(second_meeting, coordinator_client):
    assert coordinator_client.get(reverse("meetings:summary-docx", args=[3])).status_code == 404
