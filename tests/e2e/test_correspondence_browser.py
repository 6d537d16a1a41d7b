"""A stakeholder joins the correspondence group and gets a change onto the map, in a browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, CoverageFactory, StakeholderGroupFactory
from wgec.services import email_verified_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long and unusual passphrase 42"


def _log_in(page, login, password):
    page.goto("/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()


def test_sign_up_join_propose_and_see_the_change_on_the_issue_page(
    browser, live_server, coordinator_user
):
    email_verified_ensure(coordinator_user)
    StakeholderGroupFactory(slug="civil-society")
    coverage = CoverageFactory(status="unknown", issue__title="Spam", mechanism__acronym="LAP")
    issue = coverage.issue

    applicant_context = browser.new_context(base_url=live_server.url)
    applicant = applicant_context.new_page()
    applicant.set_default_timeout(10_000)
    applicant.goto("/")
    applicant.click("text=Sign up")
    applicant.fill("#id_email", "amina@example.net")
    applicant.fill("#id_username", "amina")
    applicant.fill("#id_password1", NEW_PASSWORD)
    applicant.fill("#id_password2", NEW_PASSWORD)
    applicant.get_by_role("button", name="Sign up").click()
    expect(applicant.locator("main")).to_contain_text("Confirm your e-mail address")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    applicant.goto(link.replace("http://testserver", live_server.url))
    applicant.get_by_role("button", name="Confirm").click()
    expect(applicant.locator("h1")).to_have_text("Join the correspondence group")
    applicant.fill("#id_name", "Amina Diallo")
    applicant.fill("#id_organisation", "Réseau Ouest-Africain")
    applicant.select_option("#id_stakeholder_group", label="Civil society")
    applicant.select_option("#id_country", "SN")
    applicant.click("text=Send the request")
    expect(applicant.locator(".messages")).to_contain_text("sent to the coordinators")

    coordinator_context = browser.new_context(base_url=live_server.url)
    coordinator = coordinator_context.new_page()
    coordinator.set_default_timeout(10_000)
    _log_in(coordinator, "a-coordinator", PASSWORD)
    coordinator.click("text=Requests to join")
    coordinator.click("text=Amina Diallo")
    coordinator.get_by_role("button", name="Accept").click()
    expect(coordinator.locator(".messages")).to_contain_text("Amina Diallo is now a member")

    applicant.goto(f"/issues/{issue.pk}/")
    applicant.click("text=a change of status")
    applicant.select_option("#id_coverage", label="LAP (now: unknown)")
    applicant.select_option("#id_status", "partly")
    applicant.fill("#id_justification", "The London Action Plan coordinates *enforcement*.")
    applicant.click("text=Send the proposal")
    expect(applicant.locator(".messages")).to_contain_text("sent to the coordinators")

    coordinator.click("text=Proposal queue")
    expect(coordinator.locator("article.proposal")).to_contain_text("Amina Diallo")
    coordinator.get_by_role("button", name="Accept and apply").click()
    expect(coordinator.locator(".messages")).to_contain_text("accepted and applied")

    applicant.goto(f"/issues/{issue.pk}/")
    expect(applicant.locator("#mechanisms + .scroll table")).to_contain_text("Partly addressing")
    history = applicant.locator("table.history")
    expect(history).to_contain_text("A Coordinator")
    expect(history).to_contain_text("by Amina Diallo, accepted by A Coordinator")
    assert "accepted" in mail.outbox[-1].subject
    # No request may still be in flight when the live server stops.
    applicant_context.close()
    coordinator_context.close()
