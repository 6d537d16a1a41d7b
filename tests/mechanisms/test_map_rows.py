"""The rows of the issue list and the mechanisms list, drawn in Python (``map_rows``): the same
words in every language as the templates drew them, every value escaped."""

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import translation

from mechanisms.models import Mechanism, RowMechanism, map_rows_of
from mechanisms.templatetags.map_rows import mechanism_links, status_bar
from tests.factories import (
    ClusterFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
)


@pytest.mark.parametrize("language", ["en", "fr", "ru", "ar"])
@pytest.mark.parametrize("count", [0, 7, 999, 1000, 12345, 1234567])
def test_a_status_count_is_written_as_intcomma_writes_it_in_each_language(language, count):
    with translation.override(language):
        drawn = status_bar([("addressing", "Addressing", count)])
        assert f">{intcomma(count)} " in drawn


def test_a_status_summary_names_each_status_in_the_active_language_best_first():
    with translation.override("fr"):
        drawn = status_bar([("addressing", "Addressing", 2), ("partly", "Partly addressing", 1)])
    assert drawn.count('class="seg status-') == 2
    assert 'style="flex-grow: 2"' in drawn and 'style="flex-grow: 1"' in drawn
    assert drawn.index("status-addressing") < drawn.index("status-partly")
    assert '<span class="status status-addressing">2 addressing</span>, ' in drawn


def test_no_status_reads_no_mechanism():
    with translation.override("en"):
        assert status_bar([]) == '<span class="status status-none">No mechanism</span>'


def test_status_labels_and_values_are_escaped():
    drawn = status_bar([('x"><script>', "<b>Label</b>", 3)])
    assert "<script>" not in drawn and "<b>" not in drawn
    assert "&lt;b&gt;label&lt;/b&gt;" in drawn


def test_mechanism_links_escape_names_and_links_and_read_a_dash_when_none():
    drawn = mechanism_links([('/m/1/" onclick="x', "<i>ITU</i>"), ("/m/2/", "A&B")])
    assert drawn == (
        '<a href="/m/1/&quot; onclick=&quot;x" lang="en">&lt;i&gt;ITU&lt;/i&gt;</a>, '
        '<a href="/m/2/" lang="en">A&amp;B</a>'
    )
    assert mechanism_links([]) == "—"


@pytest.mark.django_db
def test_a_pages_rows_read_each_issues_mechanisms_by_name_and_gaps_in_two_queries(
    django_assert_num_queries,
):
    spam, crime, bare = (IssueFactory(title=title) for title in ("Spam", "Cybercrime", "Bare"))
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    coe = MechanismFactory(name="Council of Europe", acronym="")
    CoverageFactory(issue=spam, mechanism=itu, status="partly")
    CoverageFactory(issue=spam, mechanism=coe, status="addressing")
    CoverageFactory(issue=crime, mechanism=coe, status="unknown")
    GapFactory(issue=spam, type="policy")
    GapFactory(issue=spam, type="capacity")
    GapFactory(issue=crime, type="research")
    with django_assert_num_queries(2):
        mechanisms, gaps = map_rows_of([spam.pk, bare.pk])
    assert mechanisms[spam.pk] == [
        RowMechanism(coe.pk, "Council of Europe", "addressing"),
        RowMechanism(itu.pk, "ITU", "partly"),
    ]
    assert gaps[spam.pk] == ["capacity", "policy"]
    assert crime.pk not in mechanisms and crime.pk not in gaps
    assert not mechanisms.get(bare.pk) and not gaps.get(bare.pk)
    with django_assert_num_queries(0):
        assert map_rows_of([]) == ({}, {})


@pytest.mark.django_db
def test_hostile_mechanism_names_are_text_on_both_lists(client):
    hostile = MechanismFactory(name="<script>alert(1)</script>", acronym="", kind="regional")
    issue = IssueFactory(title="Spam", cluster=ClusterFactory(slug="s", name="S", position=1))
    CoverageFactory(issue=issue, mechanism=hostile, status="partly")
    for url in (reverse("issues:list"), reverse("mechanisms:list")):
        text = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.django_db
def test_the_mechanisms_list_names_each_kind_in_the_visitors_language(client):
    MechanismFactory(name="Council of Europe", kind="regional")
    english = client.get(reverse("mechanisms:list")).content.decode()
    french = client.get(reverse("mechanisms:list"), headers={"accept-language": "fr"})
    with translation.override("fr"):
        regional = str(Mechanism.Kind("regional").label)
    with translation.override("en"):
        assert regional != str(Mechanism.Kind("regional").label)
        assert f'<td data-label="Kind">{Mechanism.Kind("regional").label}</td>' in english
    assert f">{regional}</td>" in french.content.decode()


@pytest.mark.django_db
def test_a_mechanism_with_no_issue_on_the_map_says_so_not_no_mechanism(client):
    MechanismFactory(name="Idle Forum", kind="regional")
    text = client.get(reverse("mechanisms:list")).content.decode()
    row = text.split(">Idle Forum</a>")[1].split("</tr>")[0]
    assert '<span class="status status-none">No issue on the map</span>' in row
    assert "No mechanism" not in row
    french = client.get(reverse("mechanisms:list"), headers={"accept-language": "fr"})
    assert "Aucune question sur la carte" in french.content.decode()
