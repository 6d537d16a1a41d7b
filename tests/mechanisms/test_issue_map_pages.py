"""The public issue map: list with filters, search, sorting and downloads; matrix; gaps;
mechanisms; open data."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from issues.models import Issue
from mechanisms.views.issue_map import GAP_SAMPLE
from tests.factories import (
    AnswerFactory,
    ClusterFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    IssueSourceFactory,
    MechanismFactory,
    RespondentFactory,
    StakeholderGroupFactory,
)
from tests.scale import large_map
from wgec.documents.spreadsheets import read_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_map():
    security = ClusterFactory(slug="security", name="Security", position=1)
    legal = ClusterFactory(slug="legal", name="Legal", position=2)
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    coe = MechanismFactory(name="Council of Europe", acronym="CoE", kind="regional")
    spam = IssueFactory(title="Spam", cluster=security, description="Unsolicited bulk e-mail.")
    cybercrime = IssueFactory(
        title="Cybercrime", cluster=security, description="Crimes committed online."
    )
    jurisdiction = IssueFactory(
        title="Jurisdiction", cluster=legal, description="Which courts decide cross-border cases."
    )
    labour = IssueFactory(title="Labour law", cluster=legal, consensus="no_consensus")
    IssueFactory(title="Secret proposal", cluster=legal, state="proposed", needs_agreement=True)
    CoverageFactory(issue=spam, mechanism=itu, status="partly")
    CoverageFactory(
        issue=cybercrime, mechanism=coe, status="addressing", evidence="=cmd|' /C calc'!A0"
    )
    CoverageFactory(issue=cybercrime, mechanism=itu, status="partly")
    CoverageFactory(issue=jurisdiction, mechanism=coe, status="not_addressing")
    GapFactory(issue=jurisdiction, type="policy", recommendation="Name a forum.")
    GapFactory(issue=spam, type="capacity")
    civil = StakeholderGroupFactory(slug="civil-society")
    IssueSourceFactory(
        issue=spam,
        answer=AnswerFactory(respondent=RespondentFactory(stakeholder_group=civil)),
    )
    return {
        "spam": spam,
        "cybercrime": cybercrime,
        "jurisdiction": jurisdiction,
        "labour": labour,
        "itu": itu,
        "coe": coe,
    }


def _titles(response) -> list[str]:
    return [issue.title for issue, _ in response.context["rows"]]


def test_list_shows_issues_on_the_map_only(client, small_map):
    response = client.get(reverse("issues:list"))
    assert _titles(response) == ["Cybercrime", "Spam", "Jurisdiction", "Labour law"]
    assert "Secret proposal" not in response.content.decode()


def test_list_rows_link_each_issue_and_mechanism_with_its_status_and_gaps(client, small_map):
    text = client.get(reverse("issues:list")).content.decode()
    cybercrime, itu, coe = small_map["cybercrime"], small_map["itu"], small_map["coe"]
    row = text.split(f'<a href="/issues/{cybercrime.pk}/" lang="en">Cybercrime</a>')[1]
    row = row.split("</tr>")[0]
    assert (
        f'<a href="/mechanisms/{coe.pk}/" lang="en">CoE</a>, '
        f'<a href="/mechanisms/{itu.pk}/" lang="en">ITU</a>' in row
    )
    assert "1 addressing</span>, <span" in row and "1 partly addressing</span>" in row
    spam = small_map["spam"].pk
    row = text.split(f'<a href="/issues/{spam}/" lang="en">Spam</a>')[1].split("</tr>")[0]
    assert '<td data-label="Gaps">Capacity</td>' in row
    row = text.split(">Labour law</a>")[1].split("</tr>")[0]
    assert '<span class="status status-none">No mechanism</span>' in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"cluster": "legal"}, ["Jurisdiction", "Labour law"]),
        ({"mechanism": "itu"}, ["Cybercrime", "Spam"]),
        ({"mechanism": "coe", "status": "addressing"}, ["Cybercrime"]),
        ({"mechanism": "itu", "status": "addressing"}, []),
        ({"mechanism": "council europe"}, ["Cybercrime", "Jurisdiction"]),
        ({"status": "not_addressing"}, ["Jurisdiction"]),
        ({"summary": "partly"}, ["Spam"]),
        ({"summary": "none"}, ["Labour law"]),
        ({"summary": "not_addressing"}, ["Jurisdiction"]),
        ({"gap": "policy"}, ["Jurisdiction"]),
        ({"consensus": "no_consensus"}, ["Labour law"]),
        ({"group": "civil-society"}, ["Spam"]),
        ({"q": "courts"}, ["Jurisdiction"]),
        ({"q": "bulk unsolicited"}, ["Spam"]),
        ({"sort": "-mechanisms"}, ["Cybercrime", "Jurisdiction", "Spam", "Labour law"]),
        ({"sort": "-title"}, ["Spam", "Labour law", "Jurisdiction", "Cybercrime"]),
    ],
)
def test_list_filters_search_and_sorts(client, small_map, query, expected):
    query = {key: getattr(small_map.get(value), "pk", value) for key, value in query.items()}
    response = client.get(reverse("issues:list"), query)
    assert _titles(response) == expected


def test_a_bad_filter_value_is_shown_not_crashed(client, small_map):
    response = client.get(reverse("issues:list"), {"summary": "sideways", "mechanism": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_filtered_list_downloads_as_csv_and_xlsx(client, small_map):
    csv_response = client.get(reverse("issues:list-csv"), {"cluster": "security"})
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_workbook(csv_response.content, "issues.csv")["issues"].rows
    assert [row.text("Title") for row in rows] == ["Cybercrime", "Spam"]
    assert rows[0].text("Mechanisms (status)") == (
        "Council of Europe (Addressing); International Telecommunication Union (Partly addressing)"
    )
    assert rows[1].text("Gap types") == "Capacity"
    xlsx = client.get(reverse("issues:list-xlsx"), {"cluster": "security"})
    sheet = load_workbook(io.BytesIO(xlsx.content))["Issues"]
    assert sheet["B2"].value == "Cybercrime"
    assert sheet["H2"].value.endswith(reverse("issues:detail", args=[small_map["cybercrime"].pk]))


def test_matrix_counts_issues_by_cluster_and_best_status_and_links_to_the_list(client, small_map):
    response = client.get(reverse("issues:matrix"))
    heat = {row["cluster"].slug: row for row in response.context["heat"]}
    security = {cell["status"]: cell["count"] for cell in heat["security"]["cells"]}
    assert security == {
        "addressing": 1,
        "partly": 1,
        "not_addressing": 0,
        "unknown": 0,
        "none": 0,
    }
    legal = {cell["status"]: cell for cell in heat["legal"]["cells"]}
    assert legal["none"]["count"] == 1
    assert legal["none"]["url"] == reverse("issues:list") + "?cluster=legal&summary=none"
    # The row of totals: each status over all clusters, and every issue on the map.
    on_map = Issue.objects.on_map().count()
    assert response.context["total"] == on_map
    assert sum(total["count"] for total in response.context["totals"]) == on_map
    assert f'<a href="{reverse("issues:list")}">{on_map}</a>' in response.content.decode()


def test_matrix_grid_shows_each_status_with_a_letter_and_a_link(client, small_map):
    response = client.get(reverse("issues:matrix"), {"cluster": "security"})
    grid = response.context["grid"]
    assert [m.acronym for m in grid["mechanisms"]] == ["ITU", "CoE"]
    text = response.content.decode()
    assert f"?cluster=security&amp;mechanism={small_map['coe'].pk}&amp;status=addressing" in text
    assert "CoE: Addressing" in text


def test_gaps_page_lists_issues_without_mechanism_not_addressed_and_by_type(client, small_map):
    response = client.get(reverse("issues:gaps"))
    assert [issue.title for issue in response.context["none"]] == ["Labour law"]
    assert [issue.title for issue in response.context["not_addressed"]] == ["Jurisdiction"]
    policy = next(row for row in response.context["by_type"] if row["value"] == "policy")
    assert policy["count"] == 1 and policy["sample"][0].recommendation == "Name a forum."


def test_gaps_page_samples_the_first_issues_of_each_type_by_cluster_then_title(client):
    first = ClusterFactory(slug="first", position=1)
    second = ClusterFactory(slug="second", position=2)
    for n in range(GAP_SAMPLE + 2):
        GapFactory(issue=IssueFactory(title=f"Policy {n:02}", cluster=second), type="policy")
    GapFactory(issue=IssueFactory(title="Zeta", cluster=first), type="policy")
    GapFactory(issue=IssueFactory(title="Capacity", cluster=first), type="capacity")
    rows = {row["value"]: row for row in client.get(reverse("issues:gaps")).context["by_type"]}
    titles = [gap.issue.title for gap in rows["policy"]["sample"]]
    assert titles == ["Zeta", *(f"Policy {n:02}" for n in range(GAP_SAMPLE - 1))]
    assert rows["policy"]["count"] == GAP_SAMPLE + 3
    assert [gap.issue.title for gap in rows["capacity"]["sample"]] == ["Capacity"]
    assert rows["research"]["sample"] == [] and rows["research"]["count"] == 0


def test_gaps_page_counts_every_issue_of_its_two_lists_beyond_the_sample(
    client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    cluster = ClusterFactory(slug="security")
    for n in range(GAP_SAMPLE + 3):
        IssueFactory(title=f"Alone {n:02}", cluster=cluster)
    for title in ("Spam", "Phishing"):
        CoverageFactory(issue=IssueFactory(title=title, cluster=cluster), status="not_addressing")
    CoverageFactory(issue=IssueFactory(title="Covered", cluster=cluster), status="addressing")
    # The two lists are counted in one query, whatever their length.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("issues:gaps"))
    text = response.content.decode()
    assert len(response.context["none"]) == GAP_SAMPLE
    assert f"Issues with no mechanism ({GAP_SAMPLE + 3})" in text
    assert "are all “not addressing” (2)" in text


def test_mechanism_pages_show_what_each_addresses_and_how(client, small_map):
    listing = client.get(reverse("mechanisms:list"), {"kind": "regional"})
    [coe] = listing.context["page"].object_list
    assert coe.issue_count == 2
    assert coe.status_counts() == [
        ("addressing", "Addressing", 1),
        ("not_addressing", "Not addressing", 1),
    ]
    detail = client.get(reverse("mechanisms:detail", args=[coe.pk]))
    text = detail.content.decode()
    assert "Cybercrime" in text and "Jurisdiction" in text
    assert "Not addressing" in text


def test_open_data_has_stable_ids_and_leaves_out_proposed_issues(client, small_map):
    issues = json.loads(
        b"".join(
            client.get(reverse("issues:data-table", args=["issues", "json"])).streaming_content
        )
    )
    by_id = {row["id"]: row for row in issues["rows"]}
    spam = by_id[small_map["spam"].pk]
    assert spam == {
        "id": small_map["spam"].pk,
        "title": "Spam",
        "cluster": "security",
        "description": "Unsolicited bulk e-mail.",
        "state": "on_map",
        "merged_into": None,
        "consensus": "agreed",
        "gap_types": ["capacity"],
        "url": f"http://testserver/issues/{small_map['spam'].pk}/",
    }
    assert by_id[small_map["labour"].pk]["gap_types"] == []
    assert "Secret proposal" not in {row["title"] for row in issues["rows"]}
    coverage = client.get(reverse("issues:data-table", args=["coverage", "csv"]))
    assert coverage["Access-Control-Allow-Origin"] == "*"
    text = b"".join(coverage.streaming_content).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text  # escaped, never a formula
    mechanisms = json.loads(
        b"".join(
            client.get(reverse("issues:data-table", args=["mechanisms", "json"])).streaming_content
        )
    )
    assert {row["acronym"] for row in mechanisms["rows"]} == {"ITU", "CoE"}
    assert client.get("/data/secrets.json").status_code == 404


PAGES = [
    ("issues:list", [], {}),
    ("issues:list", [], {"cluster": "c1", "summary": "partly", "gap": "policy", "page": "2"}),
    ("issues:list", [], {"q": "spam", "sort": "-mechanisms"}),
    ("issues:list-csv", [], {"cluster": "c2"}),
    ("issues:list-xlsx", [], {"summary": "none"}),
    ("issues:matrix", [], {"cluster": "c3"}),
    ("issues:gaps", [], {}),
    ("mechanisms:list", [], {"page": "2"}),
    ("issues:data-table", ["issues", "json"], {}),
    ("issues:data-table", ["coverage", "csv"], {}),
    ("issues:data-table", ["mechanisms", "json"], {}),
]


@pytest.mark.parametrize("size", [200, 20_000])
def test_map_pages_keep_their_query_count_as_the_map_grows(
    client, size, django_assert_max_num_queries
):
    large_map(issues=size, mechanisms=max(60, size // 30), coverage_per_issue=2)
    issue = Issue.objects.order_by("pk")[size // 2]
    mechanism = issue.coverage.first().mechanism if issue.coverage.exists() else None
    pages = [*PAGES, ("issues:detail", [issue.pk], {})]
    if mechanism:
        pages.append(("mechanisms:detail", [mechanism.pk], {"page": "2"}))
    # The cached pages, built here (the cache is empty), add the map's version and the cache's
    # read and write: seven queries with the database cache (the version, the read, a count for
    # culling, the write's savepoint, its look-up, insert and release), fewer with Redis; served
    # from the cache they take two (tests/mechanisms/test_page_cache.py). The HTML pages are
    # kept whole as well for anonymous visitors: as many again (the public pages' version, the
    # read and the write of the whole page).
    cache_miss = 7
    whole = cache_miss
    budgets = {
        "issues:list": 7 + cache_miss + whole,
        "issues:list-csv": 4,
        "issues:list-xlsx": 4,
        "issues:matrix": 5 + cache_miss + whole,
        "issues:gaps": 6 + cache_miss + whole,
        "mechanisms:list": 3 + cache_miss + whole,
        "issues:data-table": 2 + cache_miss,
        "issues:detail": 11 + cache_miss + whole,  # the public pages' version, not the map's
        "mechanisms:detail": 3 + cache_miss + whole,
    }
    for name, args, query in pages:
        with django_assert_max_num_queries(budgets[name], info=name):
            response = client.get(reverse(name, args=args), query)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_open_data_that_fails_midway_is_a_503_never_a_truncated_200(client, monkeypatch, fmt):
    from mechanisms.views import open_data

    MechanismFactory(acronym="ITU")
    MechanismFactory(acronym="CoE")

    def failing(base):
        def rows():
            yield [1, "First", "F", "intergovernmental", "", base]
            raise open_data.Mechanism.DoesNotExist("the database went away")

        return ["id", "name", "acronym", "kind", "website", "url"], rows()

    monkeypatch.setitem(open_data.TABLES, "mechanisms", failing)
    response = client.get(reverse("issues:data-table", args=["mechanisms", fmt]))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert f"The open data table mechanisms.{fmt} cannot be read just now" in body
    assert "First" not in body


def test_open_data_gives_its_length_so_that_a_cut_transfer_shows(client, small_map):
    response = client.get(reverse("issues:data-table", args=["mechanisms", "json"]))
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == 'inline; filename="wgec-mechanisms.json"'
