"""Keyboard-only journeys: the skip link, a focus that can be seen, the issue filters and the
matrix used with Tab, the arrow keys and Enter alone."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAB_LIMIT = 80

ACTIVE = """() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim(),
    href: el.getAttribute("href"),
    summary: el.tagName === "SUMMARY" && !el.parentElement.open,
    inMain: !!el.closest("main"),
  };
}"""

OUTLINE = """() => {
  const style = getComputedStyle(document.activeElement);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def _tab_to(page, selector: str) -> dict:
    """Press Tab until the focus is on the element ``selector`` names, opening a folded
    <summary> on the way (the filters fold behind one on narrow screens) with Enter."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return page.evaluate(ACTIVE)
        if page.evaluate(ACTIVE)["summary"]:
            page.keyboard.press("Enter")
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never reached {selector} on {page.url}")


def _choose_with_arrows(page, label: str) -> None:
    """Move the focused <select> to the option ``label`` with the arrow keys."""
    for _ in range(TAB_LIMIT):
        if page.evaluate("document.activeElement.selectedOptions[0].text") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"The arrow keys never reached the option {label!r}")


def _visible_focus(page) -> None:
    outline = page.evaluate(OUTLINE)
    assert outline["style"] != "none" and outline["width"] >= 2, (
        f"No visible focus on {page.evaluate(ACTIVE)}: outline {outline}"
    )


@pytest.fixture
def issue_map():
    from tests.factories import ClusterFactory, CoverageFactory, IssueFactory, MechanismFactory

    security = ClusterFactory(slug="security", position=1)
    development = ClusterFactory(slug="development", position=2)
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    for title in ["Spam", "Cybercrime"]:
        CoverageFactory(issue=IssueFactory(title=title, cluster=security), mechanism=itu)
    for title in ["Broadband access", "Capacity building"]:
        CoverageFactory(
            issue=IssueFactory(title=title, cluster=development), mechanism=itu, status="partly"
        )
    return {"security": security, "development": development, "itu": itu}


def test_the_skip_link_comes_first_shows_and_moves_the_focus_to_the_content(page, issue_map):
    page.goto("/issues/")
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert (first["text"], first["href"]) == ("Skip to content", "#main")
    box = page.locator("a.skip").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # on screen while it has the focus
    _visible_focus(page)

    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "main"
    page.keyboard.press("Tab")
    after = page.evaluate(ACTIVE)
    assert after["inMain"], f"After the skip link, Tab went to {after}, outside the content"
    _visible_focus(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_keyboard_user_filters_the_issues_by_cluster_and_opens_the_first(page, issue_map, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/issues/")
    _tab_to(page, "select[name=cluster]")
    _visible_focus(page)
    _choose_with_arrows(page, "Development")
    _tab_to(page, "form.filters button[type=submit]")
    _visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/issues/?*cluster=development*")

    first = _tab_to(page, "table.issues tbody tr:first-child th a")
    assert first["text"] == "Broadband access"
    _visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first['href']}")
    assert page.locator("h1").inner_text() == "Broadband access"


def test_a_keyboard_user_opens_a_clusters_grid_and_follows_a_cell(page, issue_map):
    page.goto("/issues/matrix/")
    _tab_to(page, "#id_grid_cluster")
    _choose_with_arrows(page, "Security")
    _tab_to(page, "#grid button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/issues/matrix/?cluster=security*")

    cell = _tab_to(page, "table.grid td.gridcell a")
    assert cell["text"].startswith("A")  # A for addressing, read with the mechanism's name
    _visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/issues/?*")
    rows = page.locator("table.issues tbody th a").all_inner_texts()
    assert sorted(rows) == ["Cybercrime", "Spam"]


def test_a_chart_wider_than_a_phone_takes_the_focus_and_scrolls_with_the_arrow_keys(page):
    from tests.factories import RespondentFactory

    for number in range(3):
        RespondentFactory(name=f"Respondent {number}", consent_to_cite=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/responses/statistics/")
    _tab_to(page, "section[aria-labelledby=groups] .scroll")
    assert page.evaluate("document.activeElement.scrollWidth > document.activeElement.clientWidth")
    region = page.locator("section[aria-labelledby=groups] .scroll")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-labelledby") == "groups"  # "Respondents by stakeholder group"
    _visible_focus(page)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Scrolling is animated; a function, not an expression: the policy forbids evaluating strings.
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
