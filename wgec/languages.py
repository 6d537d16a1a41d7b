"""The language of the pages: the six official languages of the United Nations, each named in
itself for the language menu, and a signed-in person's choice kept in their profile.

Django's LocaleMiddleware reads the visitor's cookie, then the browser's Accept-Language. A
signed-in person's profile wins over both: their login copies it into the session
(``profile_language_restore``), and ``ProfileLanguageMiddleware`` applies it from there, setting
the cookie too, without a query of its own.
"""

import datetime
from collections.abc import Callable
from functools import wraps

from babel.lists import format_list
from django.conf import settings
from django.utils import formats, translation

SESSION_KEY = "wgec_language"

# Each language named in itself, in the order of the menu (the UN's order: Arabic, Chinese,
# English, French, Russian, Spanish).
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh-hans": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in dict(settings.LANGUAGES)


def language_menu(current: str) -> list[dict]:
    """The entries of the language menu, the current one marked."""
    return [
        {"code": code, "name": name, "current": code == current}
        for code, name in LANGUAGE_NAMES.items()
    ]


class ProfileLanguageMiddleware:
    """Applies the language a signed-in person chose (copied into their session when they log
    in, or when they choose one), and keeps the cookie in step with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(SESSION_KEY) if session is not None else None
        if not is_language(language):
            return self.get_response(request)
        if language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Data files and documents (the map workbook, the issue list and open data downloads, the
# compilations, update reports and the final document) are written in English whatever the
# visitor's language: their headers and values are an interface that imports and other programs
# read.
def english[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Runs the function with English active (a fresh override per call: calls nest)."""

    @wraps(function)
    def in_english(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("en"):
            return function(*args, **kwargs)

    return in_english


def user_language(user) -> str:
    """The language a person chose in their profile, for what the site writes to them (an
    e-mail); English when they chose none."""
    from wgec.models import Profile

    if user is None or not getattr(user, "pk", None):
        return "en"
    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return language if is_language(language) else "en"


def labels(choices) -> dict:
    """The labels of a choices class by value, as text in the active language (joined, written
    to files and stored as they are, unlike lazy labels)."""
    return {value: str(label) for value, label in choices.choices}


# The locale of Babel's list patterns (CLDR) for each language: the UN's English writes no comma
# before "and", as British English does.
_LIST_LOCALES = {
    "en": "en_GB",
    "fr": "fr",
    "es": "es",
    "ru": "ru",
    "zh-hans": "zh_Hans",
    "ar": "ar",
}


def list_text(items) -> str:
    """Items joined as a sentence joins them in the active language: "A, B and C", "A, B et C",
    "A、B和C", "A وB وC"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    return format_list(items, locale=_LIST_LOCALES.get(translation.get_language(), "en_GB"))


def date_range(start: datetime.date, end: datetime.date) -> tuple[str, str, str]:
    """A meeting's first and last day as the active language writes a range of days: the
    first day's text, what joins them and the last day's text, the part they share written
    once ("30–31 May 2013", "30 May–2 June 2013", "2013年5月30日至31日"). A single day is
    ("", "", the day)."""
    last = formats.date_format(end, "DATE_FORMAT")
    if start == end:
        return "", "", last
    chinese = translation.get_language() == "zh-hans"
    same_year = start.year == end.year
    if chinese:
        first = formats.date_format(start, "DATE_FORMAT")
        if same_year and start.month == end.month:
            return first, "至", f"{end.day}日"
        if same_year:
            return first, "至", formats.date_format(end, "MONTH_DAY_FORMAT")
        return first, "至", last
    day = str(end.day)
    if same_year and start.month == end.month and last.startswith(day + " "):
        # Right to left, the days joined by a hyphen stay one number read left to right
        # (30-31); an en dash would set them apart in the line's direction (31–30).
        return str(start.day), "-" if translation.get_language_bidi() else "–", last
    if same_year:
        return formats.date_format(start, "MONTH_DAY_FORMAT"), "–", last
    return formats.date_format(start, "DATE_FORMAT"), "–", last
