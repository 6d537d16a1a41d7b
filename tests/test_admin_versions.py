"""No lost update in the admin: every change form and inline row carries the version it was
read at, and a save against a newer version is refused with what changed meanwhile."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mechanisms.models import Coverage
from tests import factories
from tests.forms import admin_change_data, admin_changelist_data
from tests.test_admin import APPS, FACTORIES, REGISTERED
from wgec.admin_base import VersionedAdmin, VersionedStackedInline, VersionedTabularInline
from wgec.services import secretariat_user_create
from wgec.versions import VERSION_FIELD, is_versioned


@pytest.fixture
def second_secretariat_client(db):
    user = secretariat_user_create(
        username="colleague", email="colleague@example.org", password="c0lleague-pass"
    )
    user.first_name, user.last_name = "Anne", "Colleague"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _issue_url(issue) -> str:
    return reverse("admin:issues_issue_change", args=[issue.pk])


@pytest.mark.django_db
def test_second_save_of_an_issue_read_before_the_first_is_refused_naming_the_field(
    secretariat_client, second_secretariat_client
):
    issue = factories.IssueFactory(title="Spam", description="Unsolicited e-mail.")
    url = _issue_url(issue)
    first = admin_change_data(secretariat_client.get(url))
    second = admin_change_data(second_secretariat_client.get(url))

    first["title"] = "Spam and unsolicited bulk e-mail"
    assert secretariat_client.post(url, first).status_code == 302

    second["description"] = "Unsolicited bulk e-mail, across borders."
    refused = second_secretariat_client.post(url, second)

    assert refused.status_code == 200
    text = refused.content.decode()
    assert "was changed since you opened this form" in text
    assert (
        "Title: you read “Spam”, now “Spam and unsolicited bulk e-mail” (changed by secretariat"
        in text
    )
    issue.refresh_from_db()
    assert issue.title == "Spam and unsolicited bulk e-mail"
    assert issue.description == "Unsolicited e-mail."
    # The refused form keeps what the second user typed.
    form = refused.context["adminform"].form
    assert form["description"].value() == "Unsolicited bulk e-mail, across borders."
    assert form["title"].value() == "Spam"


@pytest.mark.django_db
def test_saving_the_refused_form_again_overwrites_on_purpose(
    secretariat_client, second_secretariat_client
):
    issue = factories.IssueFactory(title="Spam")
    url = _issue_url(issue)
    first = admin_change_data(secretariat_client.get(url))
    second = admin_change_data(second_secretariat_client.get(url))
    first["title"] = "Spam and unsolicited bulk e-mail"
    secretariat_client.post(url, first)
    second["title"] = "Unsolicited e-mail"
    refused = second_secretariat_client.post(url, second)
    assert refused.status_code == 200

    again = second_secretariat_client.post(url, admin_change_data(refused))

    assert again.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Unsolicited e-mail"


@pytest.mark.django_db
def test_a_save_after_a_change_of_other_fields_only_goes_through(
    secretariat_client, second_secretariat_client
):
    issue = factories.IssueFactory(title="Spam")
    url = _issue_url(issue)
    stale = admin_change_data(second_secretariat_client.get(url))
    issue.history.model  # noqa: B018 - the issue's history exists
    # A save that changes nothing the form shows (no field of the form differs).
    issue.save()
    stale["title"] = "Unsolicited e-mail"
    assert second_secretariat_client.post(url, stale).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Unsolicited e-mail"


@pytest.mark.django_db
def test_a_coverage_row_edited_meanwhile_is_refused_in_the_inline_and_kept(
    secretariat_client, second_secretariat_client
):
    coverage = factories.CoverageFactory(status=Coverage.Status.UNKNOWN, evidence="")
    url = _issue_url(coverage.issue)
    first = admin_change_data(secretariat_client.get(url))
    second = admin_change_data(second_secretariat_client.get(url))
    first["coverage-0-status"] = Coverage.Status.ADDRESSING
    assert secretariat_client.post(url, first).status_code == 302

    second["coverage-0-evidence"] = "Resolution 68/167."
    refused = second_secretariat_client.post(url, second)

    assert refused.status_code == 200
    assert "Status: you read “Unknown”, now “Addressing”" in refused.content.decode()
    coverage.refresh_from_db()
    assert (coverage.status, coverage.evidence) == (Coverage.Status.ADDRESSING, "")


@pytest.mark.django_db
def test_removing_a_coverage_row_edited_meanwhile_is_refused(
    secretariat_client, second_secretariat_client
):
    coverage = factories.CoverageFactory(status=Coverage.Status.UNKNOWN)
    url = _issue_url(coverage.issue)
    first = admin_change_data(secretariat_client.get(url))
    second = admin_change_data(second_secretariat_client.get(url))
    first["coverage-0-status"] = Coverage.Status.PARTLY
    assert secretariat_client.post(url, first).status_code == 302

    second["coverage-0-DELETE"] = "on"
    refused = second_secretariat_client.post(url, second)

    assert refused.status_code == 200
    assert "which you removed" in refused.content.decode()
    assert Coverage.objects.filter(pk=coverage.pk, status=Coverage.Status.PARTLY).exists()


def _admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


def test_every_admin_of_a_model_with_history_and_every_inline_carries_versions():
    for model, model_admin in _admins():
        if not is_versioned(model):
            # Records the app writes itself (deliveries, prepared documents, merges): their
            # admin pages change nothing.
            assert model._meta.label_lower in {
                "reports.delivery",
                "reports.documentexport",
                "issues.issuemerge",
                "inbound.inboundmessage",
                "inbound.reportreply",
            }, model
            continue
        assert isinstance(model_admin, VersionedAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, VersionedTabularInline | VersionedStackedInline), inline


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_every_change_form_refuses_an_altered_version(label, secretariat_client):
    model = apps.get_model(label)
    if not is_versioned(model):
        pytest.skip("no change history: its admin page changes nothing")
    obj = FACTORIES[label]()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = secretariat_client.get(url)
    data = admin_change_data(page)
    assert data[VERSION_FIELD].startswith(f"{label}:{obj.pk}:")
    before = list(model.history.filter(id=obj.pk).values_list("history_id", flat=True))

    data[VERSION_FIELD] = data[VERSION_FIELD][:-1] + (
        "A" if data[VERSION_FIELD][-1] != "A" else "B"
    )
    refused = secretariat_client.post(url, data)

    assert refused.status_code == 200
    assert f"The hidden field “{VERSION_FIELD}” was altered" in refused.content.decode()
    assert list(model.history.filter(id=obj.pk).values_list("history_id", flat=True)) == before


@pytest.mark.django_db
def test_the_issue_change_page_reads_versions_in_one_query_per_formset(
    secretariat_client, django_assert_max_num_queries
):
    issue = factories.IssueFactory()
    for _ in range(12):
        factories.CoverageFactory(issue=issue)
        factories.IssueSourceFactory(issue=issue)
    with CaptureQueriesContext(connection) as queries:
        page = secretariat_client.get(_issue_url(issue))
    assert admin_change_data(page)["coverage-11-version_read"]
    reads = [q["sql"] for q in queries.captured_queries if "MAX(" in q["sql"].upper()]
    # The issue, its sources and its coverage; its gaps (none) need no query.
    assert len(reads) == 3, reads


@pytest.mark.django_db
def test_a_row_of_an_editable_list_changed_meanwhile_is_refused(
    secretariat_client, second_secretariat_client
):
    cluster = factories.ClusterFactory(slug="security", position=3)
    factories.ClusterFactory(slug="development", position=4)
    url = reverse("admin:issues_cluster_changelist")
    first = admin_changelist_data(secretariat_client.get(url))
    second = admin_changelist_data(second_secretariat_client.get(url))
    row = next(
        k[: -len("-id")] for k, v in first.items() if k.endswith("-id") and v == str(cluster.pk)
    )
    first[f"{row}-position"] = "1"
    assert secretariat_client.post(url, first).status_code == 302

    second[f"{row}-position"] = "9"
    refused = second_secretariat_client.post(url, second)

    assert refused.status_code == 200
    assert "Position: you read “3”, now “1”" in refused.content.decode()
    cluster.refresh_from_db()
    assert cluster.position == 1
    # The other row, unchanged by both, was not in the way; saving again goes through.
    again = second_secretariat_client.post(url, admin_changelist_data(refused))
    assert again.status_code == 302
    cluster.refresh_from_db()
    assert cluster.position == 9


@pytest.mark.django_db
def test_what_changed_meanwhile_is_shown_inert(secretariat_client, second_secretariat_client):
    issue = factories.IssueFactory(title="Spam")
    url = _issue_url(issue)
    stale = admin_change_data(second_secretariat_client.get(url))
    first = admin_change_data(secretariat_client.get(url))
    first["title"] = "<img src=x onerror=alert(1)>"
    assert secretariat_client.post(url, first).status_code == 302

    refused = second_secretariat_client.post(url, stale)

    page = refused.content.decode()
    assert "now “&lt;img src=x onerror=alert(1)&gt;”" in page
    assert "<img src=x" not in page


@pytest.mark.django_db
def test_reverting_to_an_earlier_record_goes_through_unless_changed_since_the_page_was_read(
    secretariat_client, second_secretariat_client
):
    issue = factories.IssueFactory(title="Spam")
    earliest = issue.history.earliest()
    issue.title = "Spam and phishing"
    issue.save()
    url = reverse("admin:issues_issue_simple_history", args=[issue.pk, earliest.history_id])
    stale = admin_change_data(second_secretariat_client.get(url))
    revert = admin_change_data(secretariat_client.get(url))
    assert revert["title"] == "Spam"
    assert secretariat_client.post(url, revert).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Spam"

    stale["description"] = "Mine."
    refused = second_secretariat_client.post(url, stale)

    assert refused.status_code == 200
    assert "Title: you read “Spam and phishing”, now “Spam”" in refused.content.decode()
