"""The compilations' own wording (title, introduction, labels, dates) in the document's language,
chosen as the final document's is: ``?language=``, else the language of the page it is
downloaded from. The kept files are kept per language; the spreadsheets stay in English."""

import io

import pytest
from django.urls import reverse
from docx import Document

from issues import exports
from tests.documents import pdf_text
from tests.factories import AnswerFactory, RespondentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(questionnaire):
    brazil = RespondentFactory(name="Government of Brazil", country="BR")
    AnswerFactory(respondent=brazil, question=questionnaire["Q4"], text="Net neutrality.")
    return brazil


def _texts(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def test_a_compilation_asked_for_in_french_is_written_in_french(client, answers):
    response = client.get(reverse("issues:question-export", args=["docx"]), {"language": "fr"})

    texts = _texts(response.content)
    assert "Réponses au questionnaire, par question" in texts
    assert any(
        text.startswith("La présente compilation reproduit, question par question")
        for text in texts
    )
    assert "Aucune réponse publiée." in texts
    assert "No published answer." not in texts
    # The answer itself is content, as written.
    assert "Net neutrality." in texts


def test_the_compilation_follows_the_language_of_the_page(client, answers, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(reverse("issues:respondent-export", args=["docx"]))

    texts = _texts(response.content)
    assert "Réponses au questionnaire, par répondant" in texts
    details = texts[texts.index("Government of Brazil") + 1]
    assert "Brésil" in details and "soumis le" in details


def test_the_pdf_compilation_in_french_reopened(client, answers):
    response = client.get(reverse("issues:question-export", args=["pdf"]), {"language": "fr"})

    text = pdf_text(response.content)
    assert "Réponses au questionnaire, par question" in " ".join(text.split())
    assert "Aucune réponse publiée." in text


def test_each_language_is_kept_apart_and_the_spreadsheet_stays_english(client, answers):
    url = reverse("issues:question-export", args=["docx"])
    english = _texts(client.get(url, {"language": "en"}).content)
    french = _texts(client.get(url, {"language": "fr"}).content)
    again = _texts(client.get(url, {"language": "en"}).content)  # from the kept file

    assert "Responses to the questionnaire, by question" in english
    assert "Réponses au questionnaire, par question" in french
    assert again == english
    assert exports.compilation_path(
        kind="question", fmt="xlsx", query="", stamp="s", language="fr"
    ) == exports.compilation_path(kind="question", fmt="xlsx", query="", stamp="s")
    assert exports.compilation_path(
        kind="question", fmt="docx", query="", stamp="s", language="fr"
    ) != exports.compilation_path(kind="question", fmt="docx", query="", stamp="s")
