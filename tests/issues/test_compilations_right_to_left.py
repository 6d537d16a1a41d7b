"""Answers in Arabic (and any right-to-left script) set right to left in the compilations: in
DOCX with ``w:bidi`` on the paragraph and ``w:rtl`` on its runs, in a complex-script font; in
the PDF with ``dir="rtl"`` (its lines end at the right margin)."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from tests.documents import pdf_text
from tests.factories import AnswerFactory, RespondentFactory
from wgec.documents.direction import text_direction

pytestmark = pytest.mark.django_db

ARABIC = "الحياد الشبكي وحماية الأطفال على الإنترنت."
ENGLISH = "Net neutrality and child online protection."
A4_WIDTH, MARGIN = 595.276, 70.87  # points: A4, and the documents' 2.5 cm side margins


@pytest.fixture
def arabic_answer(questionnaire):
    respondent = RespondentFactory(
        name="Ministry of Communications of Egypt", country="EG", language="ar"
    )
    # A line of figures alone takes the respondent's language's direction.
    text = f"{ARABIC}\n{ENGLISH}\n2013"
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text=text)
    return respondent


def test_the_direction_of_a_text_is_that_of_its_first_letter_else_of_its_language():
    assert text_direction(ARABIC) == "rtl"
    assert text_direction("שלום") == "rtl"
    assert text_direction(ENGLISH, "ar") == "ltr"
    assert text_direction("« 2013 »", "ar") == "rtl"
    assert text_direction("2013", "fr") == "ltr"


def _paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


@pytest.mark.parametrize("name", ["issues:question-export", "issues:respondent-export"])
def test_docx_sets_arabic_answers_right_to_left_in_a_font_with_the_script(
    client, arabic_answer, name
):
    response = client.get(reverse(name, args=["docx"]))
    document = Document(io.BytesIO(response.content))
    for text in (ARABIC, "2013"):
        paragraph = _paragraph(document, text)
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None
        for run in paragraph.runs:
            assert run._r.rPr.find(qn("w:rtl")) is not None
            assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:cs")) == "Times New Roman"
    english = _paragraph(document, ENGLISH)
    assert english._p.pPr is None or english._p.pPr.find(qn("w:bidi")) is None
    assert all(run._r.rPr is None for run in english.runs)


def _line_bounds(content: bytes, pattern: str) -> tuple[float, float]:
    """The left and right edges (points) of the words matching ``pattern`` on their page."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        result.stdout.decode("utf-8"),
    )
    edges = [(float(low), float(high)) for low, high, word in words if re.search(pattern, word)]
    assert edges, pattern
    return min(low for low, _ in edges), max(high for _, high in edges)


@pytest.mark.parametrize("name", ["issues:question-export", "issues:respondent-export"])
def test_pdf_compilations_set_arabic_answers_right_to_left(client, arabic_answer, name):
    response = client.get(reverse(name, args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert ENGLISH in pdf_text(content)
    # Right to left: the (short) Arabic line ends near the right margin, far from the left;
    # the English line after it starts at the left margin.
    left, right = _line_bounds(content, "[\u0600-\u06ff]")
    assert right > A4_WIDTH - MARGIN - 10  # the glyphs' side bearings aside
    assert left > MARGIN + 100
    left, right = _line_bounds(content, "^(Net|neutrality|child)$")
    assert left < MARGIN + 10 and right < A4_WIDTH / 2 + 100


def test_the_compilation_pages_link_the_pdf(client, arabic_answer):
    page = client.get(reverse("issues:question-list")).content.decode()
    assert reverse("issues:question-export", args=["pdf"]) in page
    page = client.get(reverse("issues:respondent-list")).content.decode()
    assert reverse("issues:respondent-export", args=["pdf"]) in page
