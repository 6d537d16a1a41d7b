"""The admin at 1280 px: the coverage inline shows every column, Delete included, without
scrolling; an import nobody takes says so on its page by itself."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from tests.factories import CoverageFactory
from tests.issues.conftest import _questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).resolve().parent.parent / "issues" / "files"


def _sign_in(page):
    page.goto("/admin/")
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()


def test_the_coverage_inline_fits_1280_px_with_its_delete_column(page, secretariat_user):
    coverage = CoverageFactory(evidence="A long account of the evidence. " * 12)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page)
    page.goto(f"/admin/mechanisms/mechanism/{coverage.mechanism_id}/change/")
    wrapper = page.locator("#coverage_set-group .tabular div.wrapper, #coverage-group .wrapper")
    expect(wrapper.first).to_be_visible()
    overflow = wrapper.first.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0, f"the coverage rows are {overflow} px wider than their box"
    delete = page.locator("input[name$='-0-DELETE']")
    box = delete.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    evidence = page.locator("textarea[name$='-0-evidence']").bounding_box()
    assert evidence is not None and evidence["x"] + evidence["width"] <= box["x"]


def test_an_import_nobody_takes_says_so_on_its_page(page, secretariat_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    _questionnaire()
    _sign_in(page)
    page.goto("/admin/issues/respondent/import/")
    page.set_input_files("#id_import_file", str(FILES / "responses_excel.xlsx"))
    page.click("input[type=submit]")
    message = page.locator("[data-no-worker]")
    expect(message).to_be_hidden()
    # No worker comes: the queued task ages past the grace while the page polls.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=1))
    expect(message).to_be_visible(timeout=15_000)
    expect(message).to_contain_text("No worker has started this task yet")
    expect(message).to_contain_text("python manage.py db_worker")
