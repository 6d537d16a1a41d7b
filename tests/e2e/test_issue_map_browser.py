from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.mechanisms.map_dataset import build_map_dataset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).parents[1] / "mechanisms" / "files"


def test_visitor_without_javascript_filters_the_map_and_opens_an_issue(browser, live_server):
    build_map_dataset()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/issues/")
    page.select_option("#id_cluster", "security")
    page.click("text=Show issues")
    expect(page.locator("table.issues tbody tr")).to_have_count(1)
    page.click("text=Spam")
    expect(page.locator("h1")).to_have_text("Spam")
    expect(page.locator("#mechanisms + .scroll table")).to_contain_text("Partly addressing")
    page.goto("/issues/matrix/")
    page.click("table.heat a[aria-label^='1 issue in Security']")
    expect(page.locator("table.issues")).to_contain_text("Spam")
    context.close()


def test_secretariat_imports_an_edited_workbook_after_seeing_the_preview(page, secretariat_user):
    build_map_dataset()
    page.goto("/admin/login/?next=/admin/issues/issue/")
    # The admin's login is the site's one (allauth), which throttles failed attempts.
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()
    page.click("text=Import a map workbook")
    page.set_input_files("input[type=file]", str(FILES / "map-libreoffice-edited.xlsx"))
    page.click("text=Preview the import")
    expect(page.locator("#content")).to_contain_text("Spam and unsolicited communications")
    page.click("text=Apply these changes")
    expect(page.locator("#content")).to_contain_text("Imported on")
    page.click("text=Back to the issues")
    expect(page.locator("#result_list")).to_contain_text("Spam and unsolicited communications")
