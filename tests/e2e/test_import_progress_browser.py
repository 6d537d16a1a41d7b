"""An upload's page follows the worker with the static script (no inline script, no refresh
header): it shows a progress bar while the file waits for a worker, and the preview once the
worker has read it."""

from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from issues.services.response_uploads import responses_prepare_task
from tests.issues.conftest import _questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).resolve().parent.parent / "issues" / "files"


def test_the_import_page_shows_the_progress_then_the_preview_once_the_worker_is_done(
    page, secretariat_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # The worker's backend: the upload waits in the database until the worker (here, the test)
    # runs its task.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    _questionnaire()
    page.goto("/admin/")
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/issues/respondent/import/")
    page.set_input_files("#id_import_file", str(FILES / "responses_excel.xlsx"))
    page.click("input[type=submit]")
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("[data-import-state]")).to_have_text("Reading the file")

    queued = DBTaskResult.objects.get()
    responses_prepare_task.call(**queued.args_kwargs["kwargs"])

    # The script polls the status and reloads the page: the preview appears by itself.
    expect(page.locator("#import-summary")).to_contain_text("9 created, 0 updated", timeout=15_000)
    expect(page.locator("progress")).to_have_count(0)
