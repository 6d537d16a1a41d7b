"""A member finds the proposed issues from the issue list, on a phone as at a desk, without the
page scrolling sideways."""

import pytest
from playwright.sync_api import expect

from issues.models import Issue
from tests.factories import PASSWORD, ClusterFactory, IssueFactory
from wgec.services import email_verified_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_member_opens_the_proposed_issues_from_the_list(browser, live_server, member_user, width):
    email_verified_ensure(member_user)
    cluster = ClusterFactory(name="Economic")
    IssueFactory(title="Spam", cluster=cluster)
    IssueFactory(
        title="Internet-related provisions in trade agreements and their effects on development",
        cluster=cluster,
        state=Issue.State.PROPOSED,
        needs_agreement=True,
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/?next=/issues/")
    page.fill("#id_login", member_user.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.get_by_role("link", name="Proposed issues awaiting the working group’s agreement").click()
    expect(page.locator("h1")).to_have_text("Proposed issues")
    expect(page.locator("table.issues tbody tr")).to_have_count(1)
    expect(page.locator("table.issues")).to_contain_text("Proposed, awaiting agreement")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
