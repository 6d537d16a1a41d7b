"""Texts shown in the visitor's language or in the one they were written in."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext

register = template.Library()

# Codes the imports take that Django knows by a longer name.
_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-tw": "zh-hant"}


@register.filter
def shown(text) -> str:
    """A text held per language (``cluster.name_shown``), marked with its language and direction
    where it is not the page's (the English text where none was entered in the visitor's)."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == (get_language() or "en"):
        return format_html("{}", text)
    return format_html('<span lang="{}" dir="{}">{}</span>', lang, text.dir, text)


@register.simple_tag
def written_in(code: str) -> dict[str, str]:
    """What to mark a text written in the language ``code`` (a respondent's: en, fr, zh ...)
    with: ``lang`` and ``dir`` for the browser, and the language's name in the visitor's
    language when it is not the page's (empty otherwise, and for a code Django does not know)."""
    code = (code or "").strip()
    if not code:
        return {"lang": "", "dir": "auto", "name": ""}
    try:
        info = get_language_info(_ALIASES.get(code.lower(), code))
    except KeyError:
        return {"lang": code, "dir": "auto", "name": ""}
    same = info["code"].split("-")[0] == (get_language() or "en").split("-")[0]
    return {
        "lang": code,
        "dir": "rtl" if info["bidi"] else "ltr",
        "name": "" if same else _name(info).lower(),
    }


def _name(info: dict) -> str:
    """A language's name in the visitor's language: the site's own for the six official
    languages (Chinese, not Simplified Chinese, for an answer marked zh), Django's otherwise."""
    official = dict(settings.LANGUAGES).get(info["code"])
    return str(official) if official is not None else gettext(info["name"])
