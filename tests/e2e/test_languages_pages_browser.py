"""The map, an issue and the reports page in Arabic and in Chinese, as a phone shows them: the
page's direction, its text drawn in a font that has the script (the font Chromium actually used,
not only the one named), no sideways scrolling at 390 px, and no English left on the page but
the content (the records' own text, which carries its own ``lang``) and the names of the six
languages in the language menu."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db.models import Count
from playwright.sync_api import expect

from issues.models import Issue
from project.demo import demo_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANGUAGES = [
    # (browser locale, page language, direction, the font that has the script, the script)
    ("ar", "ar", "rtl", "Noto Naskh Arabic", "[\\u0600-\\u06ff]"),
    ("zh-CN", "zh-hans", "ltr", "Noto Sans CJK SC", "[\\u4e00-\\u9fff]"),
]

# The visible text of the page outside the records' own text: text nodes whose nearest element
# with a ``lang`` is in the page's language (content in another language carries its own), and
# that are shown (not hidden, not in a folded <details>).
PAGE_TEXT = """() => {
  const pageLang = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    const element = node.parentElement;
    if (element.closest("script, style, template")) continue;
    if (element.closest("[lang]").lang !== pageLang) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    texts.push(text);
  }
  for (const element of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    if (element.closest("[lang]").lang !== pageLang) continue;
    for (const name of ["aria-label", "title", "placeholder"]) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return texts;
}"""

_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_words() -> set[str]:
    """The words of the interface's English (the catalogue's msgids), less those the Arabic and
    the Chinese translations both keep in Latin letters (PDF, XLSX, wgec ...)."""
    locale = Path(settings.BASE_DIR) / "locale"
    english = {
        word.lower()
        for entry in polib.pofile(str(locale / "fr/LC_MESSAGES/django.po"))
        for word in _WORD.findall(entry.msgid)
    }
    kept = [
        {
            word.lower()
            for entry in polib.pofile(str(locale / language / "LC_MESSAGES/django.po"))
            for word in _WORD.findall(entry.msgstr)
        }
        for language in ("ar", "zh_Hans")
    ]
    return english - (kept[0] & kept[1])


def _english_left(page, english: set[str]) -> list[str]:
    return [
        text
        for text in page.evaluate(PAGE_TEXT)
        if any(word.lower() in english for word in _WORD.findall(text))
    ]


def _rendering_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium drew an element's text with (DevTools' platform fonts)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [font["familyName"] for font in fonts]


def _script_text(page, script: str) -> str:
    """A selector for the first element of the content whose own text is in the script."""
    page.evaluate(
        """(script) => {
          const pattern = new RegExp(script);
          const main = document.querySelector("main");
          const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (pattern.test(node.textContent)) {
              node.parentElement.setAttribute("data-font-probe", "");
              return;
            }
          }
        }""",
        script,
    )
    return "[data-font-probe]"


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_map_an_issue_and_the_reports_page_in_arabic_and_chinese(browser, live_server):
    demo_load()
    issue = (
        Issue.objects.filter(state="on_map").annotate(n=Count("coverage")).order_by("-n").first()
    )
    paths = ["/issues/", issue.get_absolute_url(), "/reports/"]
    english = _english_words()
    found = {}
    for locale, lang, direction, font, script in LANGUAGES:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=locale)
        page = context.new_page()
        for path in paths:
            page.goto(path)
            html = page.locator("html")
            expect(html).to_have_attribute("lang", lang)
            expect(html).to_have_attribute("dir", direction)
            assert _overflow(page) <= 0, f"{path} in {lang} scrolls sideways at 390 px"
            assert font in _rendering_fonts(page, _script_text(page, script)), f"{path} {lang}"
            left = _english_left(page, english)
            if left:
                found[f"{lang} {path}"] = left
        context.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
