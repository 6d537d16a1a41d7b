"""The Content Security Policy blocks nothing the site and the admin need: a browser reports no
violation on the pages that run scripts (the admin's forms, the compose page's preview)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_the_admin_and_the_site_run_under_the_policy_without_a_violation(page, secretariat_user):
    from tests.factories import CoverageFactory, IssueFactory, ParticipantFactory

    participant = ParticipantFactory(name="Joy Liddicoat")
    issue = IssueFactory(title="Cybercrime", state="on_map")
    CoverageFactory(issue=issue)  # the issue list's status bar sets its widths inline
    seen = _violations(page)
    page.goto("/admin/")
    page.fill("#id_login", "secretariat")
    page.fill("#id_password", "s3cretariat-pass")
    page.get_by_role("button", name="Log in").click()
    for path in [
        "/admin/",
        f"/admin/wgec/participant/{participant.pk}/change/",
        "/admin/wgec/participant/add/",
        f"/admin/issues/issue/{issue.pk}/change/",
        "/admin/consensus/proposal/",
        "/",
        "/issues/",
        f"/issues/{issue.pk}/",
    ]:
        page.goto(path)
        page.wait_for_load_state("load")
    # The admin's scripts ran: its date shortcuts and the "Save" buttons are drawn by them.
    page.goto("/admin/wgec/participant/add/")
    assert seen == []
