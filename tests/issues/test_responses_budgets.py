"""Every response page and download runs a fixed number of queries, with 10 respondents as with
1,000. The respondents are bulk-created once per size for the whole module."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues import exports
from issues.models import Question, Respondent, Theme
from issues.views.responses import RESPONDENTS_PER_PAGE
from tests.issues.conftest import _questionnaire
from tests.issues.responses_data import COUNTRIES, population_create, population_remove
from wgec.models import StakeholderGroup


@pytest.fixture(scope="module", params=[10, 1000], ids=["10-respondents", "1000-respondents"])
def population(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _questionnaire()
        cited = population_create(request.param)
        yield cited
        population_remove()
        for model in (Question, Theme, StakeholderGroup):
            model.history.all()._raw_delete(model.objects.db)
            model.objects.all()._raw_delete(model.objects.db)


def _pages(cited: Respondent) -> list[tuple[str, int]]:
    return [
        (reverse("issues:question-list"), 3),
        (reverse("issues:question-detail", args=["Q4"]), 7),
        (reverse("issues:question-detail", args=["Q4"]) + "?region=weog&q=Respondent", 7),
        # The answers counted for the page's rows only, in a query of their own.
        (reverse("issues:respondent-list"), 7),
        (reverse("issues:respondent-list") + "?stakeholder_group=1&country=BR&page=2", 8),
        (reverse("issues:respondent-detail", args=[cited.pk]), 4),
        (reverse("issues:theme-detail", args=["c"]), 6),
        (reverse("issues:theme-detail", args=["c"]) + "?page=3", 6),
        (reverse("issues:statistics"), 5),
        # Exports: the state of the data, the count, then the compilation.
        (reverse("issues:question-export", args=["xlsx"]), 4),
        (reverse("issues:respondent-export", args=["xlsx"]), 6),  # with co-signers
        (reverse("issues:question-export", args=["docx"]) + "?country=KE", 7),  # its date
        (reverse("issues:respondent-export", args=["docx"]) + "?country=KE", 9),  # date, co-signers
        # The same again: read from media storage.
        (reverse("issues:respondent-export", args=["docx"]) + "?country=KE", 1),
    ]


@pytest.mark.django_db
def test_every_response_page_has_a_flat_query_budget(
    client, population, django_assert_max_num_queries, monkeypatch, settings
):
    # The pages as they are built (their cached hits: tests/wgec/test_public_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    # Measure the building of the compilations in the request at both sizes (a large one is
    # otherwise built by a background task: tests/issues/test_responses_exports.py).
    monkeypatch.setattr(exports, "INLINE_LIMIT", 100_000)
    for url, budget in _pages(population):
        with django_assert_max_num_queries(budget, info=url):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_pages_list_what_the_population_holds(client, population):
    size = Respondent.objects.count()
    groups = list(StakeholderGroup.objects.values_list("slug", flat=True))
    # Intergovernmental organisations are counted apart, never in their host country.
    countries = len(
        {
            COUNTRIES[n % len(COUNTRIES)]
            for n in range(size)
            if groups[n % len(groups)] != "intergovernmental"
        }
        - {""}
    )
    text = client.get(reverse("issues:statistics")).content.decode()
    assert f"{size} respondents from {countries} countries, of whom {size // 2} agreed" in text
    text = client.get(reverse("issues:respondent-detail", args=[population.pk])).content.decode()
    assert len(re.findall(r'href="/issues/\d+/"', text)) == min(size, 40)


@pytest.mark.django_db
def test_respondent_list_counts_the_answers_of_the_rows_shown_only(client, population):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("issues:respondent-list")).status_code == 200
    on_answers = [query["sql"] for query in queries if '"issues_answer"' in query["sql"]]
    # One query reads answers: grouped by respondent, for the IDs of the page's rows.
    assert len(on_answers) == 1, on_answers
    ids = re.search(r'"respondent_id" IN \(([^)]*)\)', on_answers[0]).group(1).split(",")
    assert len(ids) == min(RESPONDENTS_PER_PAGE, Respondent.objects.consenting().count())
