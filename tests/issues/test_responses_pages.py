"""The published responses: by question, by respondent, by theme, and their statistics."""

import datetime

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    AnswerFactory,
    IssueFactory,
    IssueSourceFactory,
    RespondentFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(questionnaire):
    """Three respondents: two cited (Brazil, Kenya), one not (Latvia)."""
    civil = StakeholderGroupFactory(slug="civil-society")
    brazil = RespondentFactory(
        name="Government of Brazil", organisation="Ministry of External Relations", country="BR"
    )
    kenya = RespondentFactory(
        name="KICTANet", organisation="Kenya ICT Action Network", country="KE",
        stakeholder_group=civil, language="en",
    )  # fmt: skip
    latvia = RespondentFactory(
        name="Government of Latvia", organisation="Ministry of Foreign Affairs", country="LV",
        consent_to_cite=False,
    )  # fmt: skip
    answers = {
        (brazil, "Q4"): "Root zone oversight and net neutrality.",
        (brazil, "Q2a"): "Enhanced cooperation matters.",
        (kenya, "Q4"): "Affordable access in rural areas.",
        (kenya, "Q10"): "National IGFs.\n\nRegional coordination.",
        (latvia, "Q4"): "A private view on spam.",
    }
    for (respondent, code), text in answers.items():
        AnswerFactory(respondent=respondent, question=questionnaire[code], text=text)
    return {"brazil": brazil, "kenya": kenya, "latvia": latvia}


def _text(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_questions_are_grouped_by_theme_with_answer_counts(client, people):
    text = _text(client, "issues:question-list")
    assert "a. Implementation of the Tunis Agenda" in text
    assert "e. Barriers to participation in enhanced cooperation" in text
    # Q4: three answers, two of them published.
    assert 'href="/questions/Q4/">Q4</a></th>' in text
    row = text.split('href="/questions/Q4/">Q4</a></th>')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in row and '<td class="num">2</td>' in row


def test_question_page_shows_each_cited_answer_with_who_wrote_it(client, people):
    text = _text(client, "issues:question-detail", "Q4")
    assert "Government of Brazil</a>, Ministry of External Relations" in text
    assert "(Governments, Brazil)" in text
    assert "(Civil society, Kenya)" in text
    assert "Affordable access in rural areas." in text
    assert "Government of Latvia" not in text and "A private view on spam." not in text
    assert "3 answers; 1 of them from a respondent who did not agree to be cited" in text
    assert text.index("Government of Brazil") < text.index("KICTANet")


def test_question_page_filters_by_group_region_and_country(client, people):
    civil = people["kenya"].stakeholder_group
    text = _text(client, "issues:question-detail", "Q4", stakeholder_group=civil.pk)
    assert "KICTANet" in text and "Government of Brazil" not in text
    text = _text(client, "issues:question-detail", "Q4", region="grulac")
    assert "Government of Brazil" in text and "KICTANet" not in text
    text = _text(client, "issues:question-detail", "Q4", country="KE")
    assert "KICTANet" in text and "Government of Brazil" not in text
    # Latvia does not consent: it is no choice of the country filter either.
    assert '<option value="LV"' not in text
    text = _text(client, "issues:question-detail", "Q4", country="LV")
    assert "Select a valid choice" in text


def test_question_codes_are_found_whatever_their_case(client, people):
    response = client.get(reverse("issues:question-detail", args=["q4"]))
    assert response.status_code == 302 and response["Location"] == "/questions/Q4/"
    assert client.get(reverse("issues:question-detail", args=["Q99"])).status_code == 404


def test_long_answer_lists_are_paginated(client, questionnaire):
    for number in range(55):
        AnswerFactory(
            respondent=RespondentFactory(name=f"Respondent {number:02d}"),
            question=questionnaire["Q9"],
        )
    first = _text(client, "issues:question-detail", "Q9")
    assert "Respondent 00" in first and "Respondent 50" not in first
    assert "Page 1 of 2" in first
    second = _text(client, "issues:question-detail", "Q9", page=2)
    assert "Respondent 54" in second and "Respondent 00" not in second


def test_respondent_list_shows_only_cited_respondents_and_filters(client, people):
    text = _text(client, "issues:respondent-list")
    assert "Government of Brazil" in text and "KICTANet" in text
    assert "Government of Latvia" not in text
    assert "3 respondents answered the questionnaire; 1 did not agree to be cited" in text
    assert "2 respondents cited</caption>" in text
    # Each row counts that respondent's answers (Brazil two, Kenya two of its own).
    for name in ("Government of Brazil", "KICTANet"):
        row = text.split(f">{name}</a></th>")[1].split("</tr>")[0]
        assert '<td class="num">2</td>' in row
    text = _text(client, "issues:respondent-list", region="african")
    assert "KICTANet" in text and "Government of Brazil" not in text
    text = _text(client, "issues:respondent-list", q="kenya ict")
    assert "KICTANet" in text and "Government of Brazil" not in text
    text = _text(client, "issues:respondent-list", q="Latvia")
    assert "Government of Latvia" not in text and "No respondent matches the filter." in text
    text = _text(client, "issues:respondent-list", region="atlantis")
    assert "Select a valid choice" in text


def test_respondent_page_shows_answers_in_question_order(client, people):
    text = _text(client, "issues:respondent-detail", people["kenya"].pk)
    assert text.index(">Q4</a>") < text.index(">Q10</a>")
    assert "<p>National IGFs.</p>\n\n<p>Regional coordination.</p>" in text
    assert 'dir="auto" lang="en"' in text
    assert "Civil society" in text and "Kenya (African States)" in text


def test_respondent_without_consent_has_no_page(client, people):
    response = client.get(reverse("issues:respondent-detail", args=[people["latvia"].pk]))
    assert response.status_code == 404


def test_respondent_page_lists_the_issues_their_answers_raised(client, observer_client, people):
    answer = people["brazil"].answers.get(question__code="Q4")
    on_map = IssueFactory(title="Net neutrality")
    survivor = IssueFactory(title="Critical Internet resources")
    merged = IssueFactory(title="Root zone", state=Issue.State.MERGED, merged_into=survivor)
    proposed = IssueFactory(title="Algorithmic accountability", state=Issue.State.PROPOSED)
    IssueSourceFactory(issue=on_map, answer=answer, excerpt="net neutrality")
    IssueSourceFactory(issue=merged, answer=answer, excerpt="Root zone oversight")
    IssueSourceFactory(issue=proposed, answer=answer, excerpt="Root zone")
    text = _text(client, "issues:respondent-detail", people["brazil"].pk)
    assert f'href="{on_map.get_absolute_url()}">Net neutrality</a>' in text
    assert f'href="{survivor.get_absolute_url()}">Critical Internet resources</a>' in text
    assert "(recorded as “Root zone”, merged)" in text
    assert "Algorithmic accountability" not in text
    text = _text(observer_client, "issues:respondent-detail", people["brazil"].pk)
    assert 'Algorithmic accountability</a> <span class="badge partly">Proposed</span>' in text


def test_issue_page_links_each_cited_source_to_its_respondent(client, people):
    issue = IssueFactory(title="Net neutrality")
    answer = people["brazil"].answers.get(question__code="Q4")
    IssueSourceFactory(issue=issue, answer=answer, excerpt="net neutrality")
    text = client.get(issue.get_absolute_url()).content.decode()
    respondent = f'<a href="/respondents/{people["brazil"].pk}/" lang="en">Government of Brazil</a>'
    assert respondent in text
    assert 'answer to <a href="/questions/Q4/">Q4</a>' in text


def test_theme_page_shows_its_questions_with_their_answers(client, people):
    text = _text(client, "issues:theme-detail", "b")
    assert "b. Public policy issues and possible mechanisms" in text
    for code in ["Q4", "Q8", "Q9"]:
        assert f'id="q-{code}"' in text
    assert "Root zone oversight and net neutrality." in text
    assert "A private view on spam." not in text
    assert "Enhanced cooperation matters." not in text  # Q2a belongs to theme a
    assert client.get(reverse("issues:theme-detail", args=["B"]))["Location"] == "/themes/b/"
    assert client.get(reverse("issues:theme-detail", args=["z"])).status_code == 404


def test_theme_page_is_paginated_by_respondent(client, questionnaire):
    for number in range(25):
        AnswerFactory(
            respondent=RespondentFactory(name=f"Respondent {number:02d}"),
            question=questionnaire["Q10"],
            text=f"Answer {number:02d}",
        )
    first = _text(client, "issues:theme-detail", "d")
    assert "Answer 19" in first and "Answer 20" not in first
    assert "Respondents 1–20 of the 25 cited respondents" in first
    assert "Answer 24" in _text(client, "issues:theme-detail", "d", page=2)


def test_statistics_count_everyone_by_group_region_country_and_question(client, people):
    RespondentFactory(name="No country", country="", consent_to_cite=False)
    text = _text(client, "issues:statistics")
    assert "4 respondents from 3 countries, of whom 2 agreed to be cited" in text

    def row(label: str) -> list[str]:
        cells = text.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
        return [cell.split("<")[0] for cell in cells.split('<td class="num">')[1:]]

    assert row("Governments")[:3] == ["3", "1", "2"]
    assert row("Civil society")[:3] == ["1", "1", "0"]
    assert row("Eastern European States")[:3] == ["1", "0", "1"]
    # One respondent, who did not consent: the cell is withheld.
    not_stated = text.split('<th scope="row">Not stated</th>')[1].split("</tr>")[0]
    assert "fewer than 3" in not_stated
    assert row("No regional group or not stated")[:3] == ["1", "0", "1"]
    latvia = text.split('<th scope="row">Latvia</th>')[1].split("</tr>")[0]
    assert "fewer than 3" in latvia and '"num">1<' not in latvia
    assert '<a href="/questions/Q4/">Q4</a></th>\n        <td class="num">3</td>' in text
    # The chart is drawn in HTML and CSS, every bar next to its numbers.
    assert 'class="part withheld"' in text and "Not cited (hatched)" in text


def test_hostile_text_is_shown_inert(client, questionnaire):
    respondent = RespondentFactory(name="<script>alert(1)</script>", organisation="<b>Org</b>")
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text="<img src=x onerror=1>")
    for name, args in [
        ("issues:question-detail", ["Q4"]),
        ("issues:respondent-list", []),
        ("issues:respondent-detail", [respondent.pk]),
        ("issues:theme-detail", ["b"]),
    ]:
        text = _text(client, name, *args)
        assert "<script>alert(1)</script>" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_navigation_links_the_response_pages(client, questionnaire):
    text = _text(client, "issues:statistics")
    for name in ["issues:question-list", "issues:respondent-list"]:
        assert f'href="{reverse(name)}"' in text
    assert f'href="{reverse("issues:statistics")}" aria-current="page"' in text


def test_respondent_page_shows_submission_date(client, people):
    people["brazil"].submitted_at = datetime.datetime(2013, 9, 12, 16, 40, tzinfo=datetime.UTC)
    people["brazil"].save()
    assert "12 September 2013" in _text(client, "issues:respondent-detail", people["brazil"].pk)
