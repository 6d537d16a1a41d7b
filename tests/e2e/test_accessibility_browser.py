"""WCAG 2.2 AA as axe-core checks it: every page kind of every role, the error pages and the
e-mails have no violation of serious or critical impact.

axe-core is the copy bundled in the ``axe-playwright-python`` wheel (no network at test time). It
is evaluated in the page through the DevTools protocol, which the site's Content Security Policy
does not govern, so the policy stays in force while axe runs.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The day the messages are written (their reply addresses count from it).
WRITTEN_ON = datetime.date(2014, 4, 30)

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

_axe = Axe()


def axe_problems(page) -> list[str]:
    """The serious and critical violations on the page, one readable line per element."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']} ({violation['impact']}) at {', '.join(map(str, node['target']))}: "
        f"{violation['help']} ({node.get('failureSummary', '').replace(chr(10), ' ')})"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def contrast_ratio(ink: str, paper: str) -> float:
    """WCAG's contrast ratio of two opaque CSS colours given as ``rgb(r, g, b)``."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(ink), luminance(paper)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items() if problems
    )


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _demo():
    """The demo exercise, with an account for a correspondent who has a pending proposal and a
    comment, one for a coordinator, one for the secretariat, and a report still to be sent."""
    from consensus.models import ConsensusItem, Proposal
    from issues.models import Issue
    from issues.services.comments import comment_post
    from mechanisms.models import Mechanism
    from project.demo import demo_load
    from reports.models import Deliverable
    from tests.factories import DeliverableFactory, UserFactory
    from wgec.models import Participant
    from wgec.services import secretariat_user_create

    demo_load()
    users = {}
    for role, name in [("member", "Correspondent 01"), ("coordinator", "Phil Rushton")]:
        participant = Participant.objects.get(name=name)
        participant.user = UserFactory(username=role)
        participant.save(update_fields=["user"])
        users[role] = participant.user
    users["secretariat"] = secretariat_user_create(
        username="secretariat", email="secretariat@example.org", password="s3cretariat-pass"
    )
    issue = Issue.objects.on_map().get(title="Jurisdiction")
    member = Participant.objects.get(name="Correspondent 01")
    comment = comment_post(issue=issue, author=member, text="The map should say who decides.")
    DeliverableFactory(slug="update-4", title="Fourth update report to the WGEC Chair")
    return {
        "users": users,
        "issue": issue,
        "comment": comment,
        "proposal": Proposal.objects.filter(proposer=member).latest("pk"),
        "item": ConsensusItem.objects.filter(state="referred").first(),
        "mechanism": Mechanism.objects.get(acronym="ITU"),
        "cluster": issue.cluster,
        "deliverable": Deliverable.objects.get(slug="update-1"),
    }


def _public_pages(demo) -> list[str]:
    from issues.models import Respondent

    respondent = Respondent.objects.filter(consent_to_cite=True).first()
    return [
        "/",
        "/issues/",
        f"/issues/{demo['issue'].pk}/",
        "/issues/matrix/",
        f"/issues/matrix/?cluster={demo['cluster'].slug}",
        "/issues/gaps/",
        "/mechanisms/",
        f"/mechanisms/{demo['mechanism'].pk}/",
        "/questions/",
        "/questions/Q4/",
        "/themes/A/",
        "/respondents/",
        f"/respondents/{respondent.pk}/",
        "/responses/statistics/",
        "/reports/",
        "/reports/update-1/",
        "/reports/update-1/changes/",
        "/reports/final-document/",
        "/reports/subscribe/",
        "/referrals/",
        f"/items/{demo['item'].pk}/",
        "/meetings/",
        "/meetings/2/",
        "/contributions/",
        "/data/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",  # the 404 page
    ]


def _phone_pages(demo) -> list[str]:
    return [
        "/",
        "/issues/",
        f"/issues/{demo['issue'].pk}/",
        f"/issues/matrix/?cluster={demo['cluster'].slug}",
        "/responses/statistics/",
        "/reports/update-1/",
        "/reports/update-1/changes/",
    ]


def _signed_in_pages(role: str, demo) -> list[str]:
    """The pages a role has of its own, and the public pages that it sees otherwise (forms to
    comment, propose, review or edit)."""
    issue, item, proposal = demo["issue"], demo["item"], demo["proposal"]
    seen_otherwise = [
        "/",
        "/issues/",
        f"/issues/{issue.pk}/",  # the comment form, the proposals, the editing links
        f"/items/{item.pk}/",
        f"/mechanisms/{demo['mechanism'].pk}/",
        "/reports/",
        "/issues/proposed/",
        "/account/",
    ]
    own = {
        "member": [
            "/proposals/",
            f"/proposals/{proposal.pk}/",
            f"/proposals/{proposal.pk}/edit/",
            "/proposals/new/",
            f"/issues/{issue.pk}/propose/coverage/",
            f"/issues/{issue.pk}/propose/gap/",
            f"/comments/{demo['comment'].pk}/edit/",
            "/contributions/new/",
            "/join/",
            "/proposals/queue/",  # the 403 page
        ],
        "coordinator": [
            "/reports/dashboard/",
            "/proposals/queue/",
            f"/proposals/{proposal.pk}/",
            "/join/requests/",
            "/reports/update-4/",
            "/reports/update-4/compose/",
            f"/items/{item.pk}/edit/",
            f"/issues/{issue.pk}/without-consensus/",
        ],
        "secretariat": [
            "/reports/dashboard/",
            "/proposals/queue/",
            "/join/requests/",
            "/admin/",
        ],
    }
    return own[role] + seen_otherwise


def _emails(demo) -> dict[str, str]:
    """The HTML of the update report as the mailing list receives it, and of the confirmation
    of a subscription."""
    from reports.models import Report, Subscriber
    from reports.rendering import Recipient, confirmation_message, report_message

    report = Report.objects.get(deliverable=demo["deliverable"])
    recipient = Recipient("ana@example.org", "Ana", to_chair=False, token="a-token")
    subscriber = Subscriber.objects.create(email="ana@example.org", name="Ana")
    return {
        "the update report's e-mail": report_message(report, recipient, written_on=WRITTEN_ON)
        .alternatives[0]
        .content,
        "the confirmation e-mail": confirmation_message(subscriber).alternatives[0].content,
    }


def test_every_page_of_every_role_and_the_emails_have_no_serious_or_critical_violation(
    page, live_server
):
    demo = _demo()
    found = {}
    for path in _public_pages(demo):
        page.goto(path)
        found[f"anonymous {path}"] = axe_problems(page)
    for role in ["member", "coordinator", "secretariat"]:
        page.context.clear_cookies()
        _sign_in(page, live_server, demo["users"][role])
        for path in _signed_in_pages(role, demo):
            page.goto(path)
            found[f"{role} {path}"] = axe_problems(page)
    # On a phone's screen, where the header folds and targets crowd: the busiest pages.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in _phone_pages(demo):
        page.goto(path)
        found[f"secretariat at 390 px {path}"] = axe_problems(page)
    page.context.clear_cookies()
    for path in _phone_pages(demo):
        page.goto(path)
        found[f"anonymous at 390 px {path}"] = axe_problems(page)
    for name, html in _emails(demo).items():
        page.set_content(html)
        found[name] = axe_problems(page)
    if any(found.values()):
        pytest.fail(_report(found), pytrace=False)


def test_the_server_error_page_has_no_serious_or_critical_violation(page, rf):
    from django.contrib.auth.models import AnonymousUser

    from project.errors import server_error

    request = rf.get("/")
    request.user = AnonymousUser()
    html = server_error(request).content.decode()
    assert "Something went wrong" in html
    page.goto("/healthz")  # the site's address, from which the page's stylesheet loads
    page.set_content(html)
    problems = axe_problems(page)
    assert not problems, _report({"the 500 page": problems})


def test_every_shade_of_the_matrix_keeps_its_number_readable(page):
    from tests.factories import ClusterFactory, CoverageFactory, IssueFactory, MechanismFactory

    security = ClusterFactory(slug="security")
    mechanism = MechanismFactory()
    # 5, 4, 3, 2 and 1 issues: the five shades of the heat map.
    for status, count in [("addressing", 5), ("partly", 4), ("not_addressing", 3), ("unknown", 2)]:
        for _ in range(count):
            CoverageFactory(
                issue=IssueFactory(cluster=security), mechanism=mechanism, status=status
            )
    CoverageFactory(issue=IssueFactory(cluster=ClusterFactory(slug="development")))
    page.goto("/issues/matrix/")
    shades = set(
        page.locator("table.heat td.cell").evaluate_all("cells => cells.map(c => c.className)")
    )
    assert {f"num cell l{level}" for level in range(1, 6)} <= shades
    # axe leaves a one-digit text "incomplete" (too short to judge): the ratio is measured here.
    colours = page.locator("table.heat td.cell").evaluate_all(
        """cells => cells.map(cell => {
          let under = cell;  // the first ancestor with a background of its own
          while (under && getComputedStyle(under).backgroundColor === "rgba(0, 0, 0, 0)") {
            under = under.parentElement;
          }
          return [cell.className, cell.innerText,
            getComputedStyle(cell.querySelector("a") || cell).color,
            under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)"];
        })"""
    )
    low = [
        f"{name} ({text}): {contrast_ratio(ink, paper):.2f}"
        for name, text, ink, paper in colours
        if contrast_ratio(ink, paper) < 4.5
    ]
    assert not low, f"Heat map cells below 4.5:1: {low}"
    problems = axe_problems(page)
    assert not problems, _report({"/issues/matrix/": problems})
