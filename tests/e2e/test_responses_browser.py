"""The secretariat imports responses in the admin and the respondents appear on the public
pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.issues.conftest import _questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).resolve().parent.parent / "issues" / "files"


def test_secretariat_imports_responses_and_the_public_sees_them(
    page, secretariat_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _questionnaire()
    page.goto("/admin/")
    # The admin's login is the site's one (allauth).
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/issues/respondent/")
    page.click("a.import_link")

    # A file with mistakes: every error by row and column, and no way to confirm.
    page.set_input_files("#id_import_file", str(FILES / "responses_errors.xlsx"))
    page.click("input[type=submit]")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("“Atlantis” is not a country")
    expect(errors.locator("tbody tr")).to_have_count(7)
    expect(errors.locator("tbody tr").nth(1)).to_contain_text("Stakeholder group")
    expect(page.locator("input[name=confirm]")).to_have_count(0)

    # A good file: the preview, then the confirmation.
    page.goto("/admin/issues/respondent/import/")
    page.set_input_files("#id_import_file", str(FILES / "responses_excel.xlsx"))
    page.click("input[type=submit]")
    expect(page.locator("#import-summary")).to_contain_text("9 created, 0 updated")
    expect(page.locator("#import-preview")).to_contain_text("Internet Society of China")
    page.click("input[name=confirm]")
    expect(page.locator("#import-result")).to_contain_text("9 created, 0 updated")

    # The public pages, signed out.
    page.context.clear_cookies()
    page.goto("/respondents/")
    expect(page.locator("main")).to_contain_text("Internet Society of China")
    expect(page.locator("main")).not_to_contain_text("Координационный центр")  # not cited
    page.click("text=Internet Society of China")
    expect(page.locator("h1")).to_have_text("Internet Society of China")
    expect(page.locator("main")).to_contain_text("跨境数据流动")
    page.goto("/questions/Q2a/")
    expect(page.locator("main")).to_contain_text("يكتسب التعاون المعزز")
