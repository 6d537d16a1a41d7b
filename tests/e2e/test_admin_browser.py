import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretariat_logs_in_and_finds_a_participant_through_search(page, secretariat_user):
    from tests.factories import ParticipantFactory

    ParticipantFactory(name="Joy Liddicoat", organisation="Association for Progressive Comms")
    page.goto("/admin/")
    # The admin's login is the site's one (allauth), which throttles failed attempts.
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()
    page.click("text=Participants")
    page.fill("#searchbar", "liddicoat")
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Joy Liddicoat")


def test_home_page_reads_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("The correspondence exercise")
    context.close()
