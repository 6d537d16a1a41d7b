"""What the mechanisms room adds to the issues room (the Issue admin's inlines and map pages), and
its own extension point: coverage rows a room above holds, which the map import keeps."""

import pytest
from django.contrib import admin
from django.urls import reverse

from issues.admin import IssueAdmin
from issues.models import Issue
from mechanisms import coverage_holds
from mechanisms.coverage_holds import CoverageHold, coverage_hold_register
from mechanisms.map_workbook.imports import map_import_plan
from mechanisms.models import Coverage
from tests.factories import ConsensusItemFactory, CoverageFactory, IssueFactory
from wgec.documents.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

COVERAGE_HEADERS = ["Issue ID", "Mechanism ID", "Status", "Evidence"]


def test_the_issue_admin_carries_the_coverage_and_gap_inlines_and_the_map_pages(
    secretariat_client,
):
    model_admin = admin.site._registry[Issue]
    assert isinstance(model_admin, IssueAdmin)
    assert [inline.model.__name__ for inline in IssueAdmin.inlines] == ["IssueSource"]
    issue = IssueFactory()
    change = secretariat_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    page = change.content.decode()
    for prefix in ("sources", "coverage", "gaps"):
        assert f'name="{prefix}-TOTAL_FORMS"' in page
    changelist = secretariat_client.get(reverse("admin:issues_issue_changelist")).content.decode()
    assert reverse("admin:issues_issue_map_export") in changelist
    assert reverse("admin:issues_issue_map_import") in changelist


def _without_any_coverage() -> list[tuple[str, bytes]]:
    return [("map-coverage.csv", csv_bytes(COVERAGE_HEADERS, []))]


def test_the_map_import_keeps_a_coverage_status_that_has_an_item_without_consensus():
    disputed = CoverageFactory(issue__title="Spam")
    other = CoverageFactory()
    ConsensusItemFactory(issue=None, coverage=disputed)
    plan = map_import_plan(_without_any_coverage())
    assert [str(error) for error in plan.errors] == [
        f"Sheet “map-coverage”: coverage of issue {disputed.issue_id} by mechanism "
        f"{disputed.mechanism_id} is missing, but it has an item without consensus: keep its row "
        "(or settle the item first)."
    ]
    assert plan.coverage_deleted == [other.pk]


def test_a_room_above_holds_coverage_rows_with_its_own_reason(monkeypatch):
    monkeypatch.setattr(coverage_holds, "_HOLDS", dict(coverage_holds._HOLDS))
    quoted = CoverageFactory()
    CoverageFactory()
    coverage_hold_register(
        CoverageHold(
            name="quoted",
            reason="a sent report quotes it",
            remedy="correct the report first",
            coverage_ids=lambda: Coverage.objects.filter(pk=quoted.pk).values_list("pk", flat=True),
        )
    )
    plan = map_import_plan(_without_any_coverage())
    assert len(plan.errors) == 1
    assert (
        "is missing, but a sent report quotes it: keep its row (or correct the report first)."
        in (str(plan.errors[0]))
    )
    assert Coverage.objects.count() == 2
