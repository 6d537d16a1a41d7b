"""The compilations by question and by respondent, reopened as a reader would open them."""

import io

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from issues import exports
from tests.factories import AnswerFactory, RespondentFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(questionnaire):
    brazil = RespondentFactory(
        name="Government of Brazil", organisation="Ministry of External Relations", country="BR"
    )
    china = RespondentFactory(
        name="Internet Society of China", organisation="中国互联网协会", country="CN",
        stakeholder_group=StakeholderGroupFactory(slug="civil-society"),
    )  # fmt: skip
    hidden = RespondentFactory(
        name="Hidden Ministry", organisation="Secret Office", country="LV", consent_to_cite=False
    )
    AnswerFactory(
        respondent=brazil, question=questionnaire["Q4"], text="Net neutrality.\nRoot zone."
    )
    AnswerFactory(respondent=brazil, question=questionnaire["Q2a"], text="It matters.")
    AnswerFactory(respondent=china, question=questionnaire["Q4"], text="+ 网络安全; =SUM(A1)")
    AnswerFactory(respondent=hidden, question=questionnaire["Q4"], text="Confidential text.")
    return {"brazil": brazil, "china": china}


def _download(client, name, fmt, **query):
    response = client.get(reverse(name, args=[fmt]), query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="WGEC-responses-by-{name.split(":")[1].split("-")[0]}.{fmt}"'
    )
    return response.content


def _docx(content: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(content)).paragraphs]


def test_docx_by_question_reads_like_the_published_compilation(client, answers):
    paragraphs = _docx(_download(client, "issues:question-export", "docx"))
    texts = [text for _, text in paragraphs]
    assert ("Title", "Responses to the questionnaire, by question") in paragraphs
    assert any(text.startswith("This compilation reproduces the answers") for text in texts)
    assert ("Heading 1", "b. Public policy issues and possible mechanisms") in paragraphs
    q4 = texts.index(
        "Q4. What are the relevant international public policy issues pertaining to the Internet?"
    )
    assert paragraphs[q4][0] == "Heading 2"
    assert texts[q4 + 1 : q4 + 6] == [
        "Government of Brazil, Ministry of External Relations (Governments, Brazil)",
        "Net neutrality.",
        "Root zone.",
        "Internet Society of China, 中国互联网协会 (Civil society, China)",
        "+ 网络安全; =SUM(A1)",
    ]
    q2b = texts.index(next(text for text in texts if text.startswith("Q2b.")))
    assert texts[q2b + 1] == "No published answer."
    body = "\n".join(texts)
    assert "Hidden Ministry" not in body and "Confidential text." not in body
    assert "Secret Office" not in body


def test_docx_by_respondent_has_a_section_per_respondent(client, answers):
    paragraphs = _docx(_download(client, "issues:respondent-export", "docx"))
    texts = [text for _, text in paragraphs]
    brazil = texts.index("Government of Brazil")
    assert paragraphs[brazil][0] == "Heading 1"
    assert texts[brazil + 1].startswith("Ministry of External Relations · Governments · Brazil")
    assert texts[brazil + 2].startswith("Q2a. What do you think is the significance")
    assert texts[brazil + 4].startswith("Q4. ")
    assert "Hidden Ministry" not in texts and "Confidential text." not in texts


def test_xlsx_by_question_has_a_row_per_answer_and_keeps_text_as_text(client, answers):
    workbook = load_workbook(io.BytesIO(_download(client, "issues:question-export", "xlsx")))
    assert workbook.sheetnames == ["Questions", "Answers"]
    rows = list(workbook["Answers"].iter_rows(values_only=True))
    assert rows[0] == ("Question", "Respondent ID", "Respondent", "Organisation",
                       "Stakeholder group", "Country", "UN regional group", "Answer",
                       "Illustrative")  # fmt: skip
    assert [row[:3] for row in rows[1:]] == [
        ("Q2a", answers["brazil"].pk, "Government of Brazil"),
        ("Q4", answers["brazil"].pk, "Government of Brazil"),
        ("Q4", answers["china"].pk, "Internet Society of China"),
    ]
    cell = workbook["Answers"]["H4"]
    assert cell.value == "+ 网络安全; =SUM(A1)" and cell.data_type == "s" and cell.quotePrefix
    assert rows[3][6] == "Asia-Pacific States"
    questions = {row[0]: row[3] for row in workbook["Questions"].iter_rows(values_only=True)}
    assert questions["Q4"] == 2  # the published answers only


def test_xlsx_by_respondent_has_a_row_per_respondent_and_a_column_per_question(client, answers):
    workbook = load_workbook(io.BytesIO(_download(client, "issues:respondent-export", "xlsx")))
    rows = list(workbook["Respondents"].iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:7] == ("Respondent ID", "Respondent", "Organisation", "Stakeholder group",
                           "Country", "UN regional group", "Submitted")  # fmt: skip
    assert [row[1] for row in rows[1:]] == ["Government of Brazil", "Internet Society of China"]
    brazil = dict(zip(headers, rows[1], strict=True))
    assert brazil["Q4"] == "Net neutrality.\nRoot zone." and brazil["Q2a"] == "It matters."
    assert brazil["Q5"] is None


def test_exports_follow_the_filters_of_the_page(client, answers):
    workbook = load_workbook(
        io.BytesIO(_download(client, "issues:respondent-export", "xlsx", region="asia-pacific"))
    )
    rows = list(workbook["Respondents"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Internet Society of China"]
    content = _download(client, "issues:question-export", "docx", country="BR")
    body = "\n".join(text for _, text in _docx(content))
    assert "Government of Brazil" in body and "Internet Society of China" not in body


def test_public_pages_link_the_downloads(client, answers):
    for name in ["issues:question-list", "issues:respondent-list"]:
        text = client.get(reverse(name)).content.decode()
        assert "/export.docx" in text and "/export.pdf" in text and "/export.xlsx" in text
    text = client.get(reverse("issues:respondent-list"), {"country": "BR"}).content.decode()
    assert 'href="/respondents/export.xlsx?country=BR"' in text
    assert 'href="/respondents/export.pdf?country=BR"' in text
    assert client.get("/questions/export.odt", follow=True).status_code == 404


def test_compilation_is_built_once_per_state_of_the_data(
    client, answers, questionnaire, django_assert_max_num_queries
):
    first = _download(client, "issues:respondent-export", "xlsx")
    with django_assert_max_num_queries(1):  # only the state of the data: the file is kept
        assert _download(client, "issues:respondent-export", "xlsx") == first
    AnswerFactory(respondent=answers["china"], question=questionnaire["Q10"], text="Capacity.")
    rows = load_workbook(io.BytesIO(_download(client, "issues:respondent-export", "xlsx")))[
        "Respondents"
    ].iter_rows(values_only=True)
    assert any("Capacity." in row for row in rows)


def test_a_newer_compilation_replaces_those_of_earlier_states_of_the_data(
    client, answers, questionnaire, settings
):
    folder = settings.MEDIA_ROOT / exports.COMPILATIONS
    _download(client, "issues:respondent-export", "xlsx")
    _download(client, "issues:respondent-export", "xlsx", country="BR")
    _download(client, "issues:question-export", "docx")
    assert len(list(folder.iterdir())) == 3
    AnswerFactory(respondent=answers["china"], question=questionnaire["Q10"], text="Capacity.")
    _download(client, "issues:respondent-export", "xlsx")
    # The unfiltered compilation by respondent of the earlier state is gone; the others, of
    # other filters or kinds, stay until they are asked for again.
    assert len(list(folder.iterdir())) == 3
    _download(client, "issues:respondent-export", "xlsx", country="BR")
    _download(client, "issues:question-export", "docx")
    assert len(list(folder.iterdir())) == 3


@pytest.mark.parametrize("backend", ["ImmediateBackend", "DummyBackend"])
def test_large_compilation_is_built_in_the_background(
    client, answers, monkeypatch, settings, backend
):
    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    module = backend.removesuffix("Backend").lower()
    settings.TASKS = {"default": {"BACKEND": f"django.tasks.backends.{module}.{backend}"}}
    url = reverse("issues:question-export", args=["docx"])
    pending = client.get(url)
    assert pending.status_code == 202
    text = pending.content.decode()
    assert "The compilation is being prepared" in text
    assert '<meta http-equiv="refresh" content="5">' in text
    if backend == "DummyBackend":  # no worker: asked again, the build is not queued twice
        client.get(url)
        assert len(default_task_backend.results) == 1
        return
    ready = client.get(url)
    assert ready.status_code == 200
    body = "\n".join(text for _, text in _docx(ready.content))
    assert "Government of Brazil" in body and "Hidden Ministry" not in body
