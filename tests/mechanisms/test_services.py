"""Coverage and gaps are written through mechanisms/services.py, by the admin's inlines too."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mechanisms.models import Coverage, Gap
from mechanisms.services import coverage_set, gap_set, mechanism_create
from tests.factories import CoverageFactory, GapFactory, IssueFactory, MechanismFactory
from tests.forms import admin_change_data

pytestmark = pytest.mark.django_db


def test_coverage_set_records_user_and_reason_and_skips_no_change(secretariat_user):
    coverage = CoverageFactory(status="unknown")
    coverage_set(
        issue=coverage.issue,
        mechanism=coverage.mechanism,
        status="partly",
        user=secretariat_user,
        reason="checked with the mechanism",
    )
    rows = coverage.history.all()
    assert rows[0].history_user == secretariat_user
    assert rows[0].history_change_reason == "checked with the mechanism"
    count = rows.count()
    coverage_set(issue=coverage.issue, mechanism=coverage.mechanism, status="partly")
    assert coverage.history.count() == count


def test_mechanism_names_are_unique_ignoring_case():
    MechanismFactory(name="Internet Governance Forum")
    with pytest.raises(ValidationError, match="already exists"):
        mechanism_create(name="internet governance forum")


def test_gap_set_creates_then_updates_one_gap_per_type():
    issue = IssueFactory()
    gap_set(issue=issue, type="policy", description="No forum.")
    gap_set(issue=issue, type="policy", description="No global forum.")
    assert Gap.objects.get(issue=issue).description == "No global forum."


def test_admin_coverage_and_gap_inlines_save_through_the_services(secretariat_client):
    coverage = CoverageFactory(status="unknown", evidence="")
    gap = GapFactory(issue=coverage.issue, type="policy", description="Old")
    issue = coverage.issue
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = admin_change_data(secretariat_client.get(url))
    assert data["gaps-0-id"] == str(gap.pk)
    data.update(
        {
            "coverage-0-status": "addressing",
            "coverage-0-evidence": "A treaty.",
            "gaps-0-description": "New",
            "gaps-0-DELETE": "on",
        }
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    coverage.refresh_from_db()
    assert (coverage.status, coverage.evidence) == ("addressing", "A treaty.")
    assert coverage.history.first().history_user.username == "secretariat"
    assert not Gap.objects.exists()
    assert Coverage.objects.count() == 1
