"""Every page fits a phone and the header keeps to one line on a wide screen, for every role.

With the demo exercise loaded (its real titles, names and evidence are what made pages too wide),
each role's pages are visited at 390 px, where nothing may scroll sideways
(``document.documentElement.scrollWidth <= innerWidth``: wide tables scroll inside their own
box), and at 1280 px, where the header is one line: as tall as one of its links' line boxes, not
two. On the way, the compose page's preview shows the whole report, and the Content Security
Policy blocks nothing on any page. One browser, one context per role.
"""

import datetime

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from consensus.models import ConsensusItem, Proposal
from issues.models import Issue, Question, Respondent, Theme
from mechanisms.models import Mechanism
from project.demo import demo_load
from project.local_logins import local_logins_ensure
from reports.models import Deliverable
from wgec.models import Contribution, MeetingDocument

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}

# The header's height without its padding, against the line box of one of its links: one line is
# about one line box (the brand mark and the Menu button are a little taller), two are twice it.
HEADER_LINES = """() => {
  const wrap = document.querySelector(".site-header .wrap");
  const style = getComputedStyle(wrap);
  const inner = wrap.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const link = document.querySelector(".site-header nav a");
  return inner / link.getBoundingClientRect().height;
}"""

# The compose page's preview: the frame is at least as tall as the report it holds (the demo's
# is several screens long), so that none of it is cut off.
FRAME_HEIGHTS = """() => {
  const frame = document.querySelector("iframe.mail-preview");
  const message = frame.contentDocument ? frame.contentDocument.documentElement.scrollHeight : 0;
  return [frame.clientHeight, message];
}"""


def _pages() -> dict[str, list[str]]:
    """The pages of each role: every kind of page the URL configurations serve it."""
    issue = (
        Issue.objects.filter(state="on_map").annotate(n=Count("coverage")).order_by("-n").first()
    )
    mechanism = Mechanism.objects.annotate(n=Count("coverage")).order_by("-n").first()
    respondent = Respondent.objects.filter(consent_to_cite=True).first()
    document = MeetingDocument.objects.select_related("meeting").first()
    item = ConsensusItem.objects.first()
    proposal = Proposal.objects.first()
    sent = Deliverable.objects.filter(report__sent_at__isnull=False).order_by("due_date")
    unsent = Deliverable.objects.create(
        slug="update-9",
        kind=Deliverable.Kind.UPDATE_REPORT,
        title="A further update report",
        due_date=datetime.date(2014, 3, 31),
    )
    public = [
        reverse("home"),
        reverse("issues:question-list"),
        reverse("issues:question-detail", args=[Question.objects.first().code]),
        reverse("issues:theme-detail", args=[Theme.objects.first().letter]),
        reverse("issues:respondent-list"),
        reverse("issues:respondent-detail", args=[respondent.pk]),
        reverse("issues:statistics"),
        reverse("issues:list"),
        reverse("issues:detail", args=[issue.pk]),
        reverse("issues:matrix"),
        reverse("issues:gaps"),
        reverse("mechanisms:list"),
        reverse("mechanisms:detail", args=[mechanism.pk]),
        reverse("issues:referrals"),
        reverse("issues:item-detail", args=[item.pk]),
        reverse("meetings:list"),
        reverse("meetings:detail", args=[document.meeting.number]),
        reverse("meetings:document", args=[document.meeting.number, document.pk]),
        reverse("wgec:contribution-list"),
        reverse("wgec:contribution-detail", args=[Contribution.objects.published().first().pk]),
        reverse("reports:schedule"),
        reverse("reports:detail", args=[sent.first().slug]),
        reverse("reports:changes", args=[sent.last().slug]),
        reverse("reports:subscribe"),
        reverse("issues:data"),
    ]
    accounts = [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "expired"}),
        reverse("account_email_verification_sent"),
        reverse("account_confirm_email", args=["expired"]),
    ]
    signed_in = [
        reverse("home"),
        reverse("issues:list"),
        reverse("issues:detail", args=[issue.pk]),
        reverse("issues:matrix"),
        reverse("issues:proposed"),
        reverse("wgec:account"),
        reverse("wgec:contribution-create"),
        reverse("issues:proposal-detail", args=[proposal.pk]),
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("account_logout"),
    ]
    member = [
        reverse("issues:proposal-list"),
        reverse("issues:proposal-create-issue"),
        reverse("issues:proposal-create", args=[issue.pk, "coverage"]),
        reverse("issues:item-detail", args=[item.pk]),
    ]
    coordinator = [
        reverse("reports:dashboard"),
        reverse("issues:proposal-queue"),
        reverse("wgec:join-requests"),
        reverse("reports:compose", args=[unsent.slug]),
        reverse("issues:item-edit", args=[item.pk]),
        reverse("issues:option-create", args=[item.pk]),
    ]
    return {
        "anonymous": public + accounts,
        "observer": [*signed_in[:6], reverse("wgec:join")],
        "member": signed_in + member,
        "coordinator": signed_in + member + coordinator,
        "chair": signed_in + coordinator + [reverse("issues:item-decide", args=[item.pk])],
        "admin": signed_in + coordinator,
    }


def _context_for(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    if username != "anonymous":
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_every_page_fits_a_phone_and_the_header_is_one_line_for_every_role(
    browser, live_server, tmp_path
):
    demo_load()
    # One login for each role, linked to participants of the demo: admin (the secretariat), chair,
    # coordinator, member, observer.
    local_logins_ensure(path=tmp_path / "local-logins")
    too_wide, not_shown, two_lines, blocked, cut_off = [], [], [], [], []
    pages = _pages()
    compose = next(path for path in pages["coordinator"] if path.endswith("/compose/"))
    for role, paths in pages.items():
        context, page = _context_for(browser, live_server, role)
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        for path in paths:
            response = page.goto(path)
            if not response.ok:
                not_shown.append(f"{role} {path}: {response.status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > page.evaluate("window.innerWidth"):
                too_wide.append(f"{role} {path}: {width} px")
            if path == compose:
                # The whole HTML message shows: the frame is as tall as the message in it (fitted
                # when the frame loaded, before the page's own load event that goto waits for).
                frame, message = page.evaluate(FRAME_HEIGHTS)
                if not message > 1000 or frame < message:
                    cut_off.append(f"{role}: {frame} px of a {message} px message")
        page.set_viewport_size(WIDE)
        for path in [reverse("home"), reverse("issues:list")]:
            page.goto(path)
            expect(page.locator(".site-header nav a").first).to_be_visible()
            lines = page.evaluate(HEADER_LINES)
            if lines >= 1.8:
                two_lines.append(f"{role} {path}: {lines:.2f} line boxes")
        context.close()
    assert not_shown == [], "pages that did not answer"
    assert too_wide == [], "pages wider than a 390 px screen"
    assert two_lines == [], "headers on more than one line at 1280 px"
    assert blocked == [], "the Content Security Policy blocked something"
    assert cut_off == [], "the compose page's preview cuts the report off"


def test_on_a_phone_the_menu_and_the_filters_fold_behind_their_buttons(page):
    page.set_viewport_size(PHONE)
    page.goto(reverse("issues:list"))
    menu_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Mechanisms")
    expect(menu_link).to_be_hidden()
    menu = page.get_by_text("Menu", exact=True)
    menu.click()
    expect(menu_link).to_be_visible()
    menu.click()  # the open menu lies over the page; it folds again
    expect(menu_link).to_be_hidden()
    show = page.get_by_role("button", name="Show issues")
    expect(show).to_be_hidden()
    page.get_by_text("Filter", exact=True).click()
    expect(show).to_be_visible()

    page.set_viewport_size(WIDE)
    page.reload()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(menu_link).to_be_visible()
    expect(page.get_by_role("button", name="Show issues")).to_be_visible()
