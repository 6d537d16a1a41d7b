"""Two secretariat users edit the same issue in two browsers: the second save is refused with
what the first changed, keeps the second's input, and goes through when saved again."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, username: str, password: str):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    return context, page


def test_two_secretariat_users_save_the_same_issue_and_the_second_is_refused(
    browser, live_server, secretariat_user
):
    from issues.models import Issue
    from tests.factories import CoverageFactory
    from wgec.services import secretariat_user_create

    secretariat_user_create(username="colleague", email="c@example.org", password="c0lleague-pass")
    coverage = CoverageFactory(issue__title="Spam", evidence="A resolution.")
    url = f"/admin/issues/issue/{coverage.issue_id}/change/"
    first_context, first = _signed_in(browser, live_server, "secretariat", "s3cretariat-pass")
    second_context, second = _signed_in(browser, live_server, "colleague", "c0lleague-pass")
    first.goto(url)
    second.goto(url)

    first.fill("#id_title", "Spam and phishing")
    first.fill("#id_coverage-0-evidence", "Resolution 68/167.")
    first.click("input[name=_save]")
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.fill("#id_description", "Unsolicited bulk e-mail.")
    second.click("input[name=_save]")
    expect(second.locator(".errornote")).to_be_visible()
    expect(second.locator("#issue_form")).to_contain_text(
        "Title: you read “Spam”, now “Spam and phishing” (changed by secretariat"
    )
    expect(second.locator("#id_description")).to_have_value("Unsolicited bulk e-mail.")
    issue = Issue.objects.get(pk=coverage.issue_id)
    assert (issue.title, issue.description) == ("Spam and phishing", coverage.issue.description)

    second.click("input[name=_save]")
    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")
    issue.refresh_from_db()
    assert issue.description == "Unsolicited bulk e-mail."
    first_context.close()
    second_context.close()
