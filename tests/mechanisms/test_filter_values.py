"""A filter value that cannot be read gives the whole list with a notice naming the filter,
never a 500 (``²`` is a digit to ``str.isdigit``, an ID beyond a bigint, a NUL in a search)."""

import pytest
from django.urls import reverse

from tests.factories import CoverageFactory, IssueFactory, MechanismFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_issues():
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    CoverageFactory(issue=IssueFactory(title="Spam", state="on_map"), mechanism=itu)
    IssueFactory(title="Cybercrime", state="on_map")
    return itu


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"cluster": "no-such-cluster"}, "Cluster: Select a valid choice."),
        ({"sort": "²"}, "Sort by: Select a valid choice. ² is not one of the available choices."),
        ({"q": "spam\x00"}, "Search: “Search” contains a NUL character (U+0000) at character 5"),
        ({"status": "bogus"}, "A mechanism whose status is: Select a valid choice."),
    ],
)
def test_an_unreadable_filter_gives_the_whole_list_with_a_notice(client, two_issues, query, notice):
    response = client.get(reverse("issues:list"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be read, so the whole list is shown, unfiltered (" in page
    assert notice in page
    assert "Spam" in page and "Cybercrime" in page


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999"])
def test_a_mechanism_value_that_only_looks_like_an_id_is_not_a_server_error(
    client, two_issues, value
):
    response = client.get(reverse("issues:list"), {"mechanism": value})
    assert response.status_code == 200
    assert "0 issues match the filters" in response.content.decode()


def test_a_mechanism_id_still_picks_its_issues(client, two_issues):
    response = client.get(reverse("issues:list"), {"mechanism": str(two_issues.pk)})
    page = response.content.decode()
    assert "1 issue matches the filters" in page
    assert "Some filters could not be read" not in page


def test_the_mechanism_list_answers_an_unknown_kind_with_the_whole_list(client, two_issues):
    response = client.get(reverse("mechanisms:list"), {"kind": "²", "q": "x\x1by"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be read" in page
    assert "1 mechanism." in page


def test_the_download_of_an_unreadable_filter_holds_the_whole_list(client, two_issues):
    response = client.get(reverse("issues:list-csv"), {"cluster": "²"})
    text = response.content.decode("utf-8-sig")
    assert "Spam" in text and "Cybercrime" in text
