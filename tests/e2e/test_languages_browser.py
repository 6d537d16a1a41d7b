"""The map in Arabic and in Chinese on a phone: right to left for Arabic, fonts that have the
script named first, no sideways scrolling at 390 px, and the language menu switching the page."""

import pytest
from playwright.sync_api import expect

from tests.mechanisms.map_dataset import build_map_dataset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES = ["/issues/", "/issues/matrix/", "/issues/matrix/?cluster=security", "/issues/gaps/"]


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("locale", "lang", "direction", "font", "heading"),
    [
        ("ar", "ar", "rtl", "Noto Naskh Arabic", "خريطة القضايا"),
        ("zh-CN", "zh-hans", "ltr", "Noto Sans CJK SC", "问题图谱"),
    ],
)
def test_the_map_on_a_phone_in_arabic_and_chinese(
    browser, live_server, locale, lang, direction, font, heading
):
    build_map_dataset()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=locale)
    page = context.new_page()
    for path in PAGES:
        page.goto(path)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", lang)
        expect(html).to_have_attribute("dir", direction)
        assert _overflow(page) <= 0, f"{path} in {lang} scrolls sideways at 390 px"
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith(f'"{font}"'), family
    page.goto("/issues/")
    expect(page.locator("h1")).to_have_text(heading)
    context.close()


def test_the_language_menu_switches_the_page_and_keeps_the_choice(page):
    build_map_dataset()
    page.goto("/issues/matrix/")
    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(f"{page.url.split('/issues/')[0]}/issues/matrix/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Matrice")
    page.goto("/issues/")
    expect(page.locator("h1")).to_have_text("La carte des questions")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
