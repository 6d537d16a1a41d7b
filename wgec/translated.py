"""Texts the secretariat enters in each official language: the questionnaire's themes and
questions, the clusters' names and the deliverables' titles.

The English text stays in its own field (``title``, ``text``, ``name``), which the imports, the
spreadsheets, the update reports and the final document read; beside it a field per other
language (``title_fr``, ``text_zh_hans`` ...), empty until entered in the admin. A page shows the
visitor's language and falls back to English (``InLanguage``), saying which it shows, so that the
page can mark it with ``lang`` and ``dir``.

Plain fields rather than django-modeltranslation: that library adds its fields when the apps are
ready, after django-simple-history has built each model's history from the fields declared, so
saving a translated model fails in its history (and the no-lost-update versions read that
history); and it rewrites lookups on the field to the active language's column, which would make
the imports' matching by English name depend on the language of the person importing.
"""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# The field suffix of each language other than English, and its name for the admin's labels.
OTHER_LANGUAGES = {
    "ar": ("ar", _("Arabic")),
    "zh-hans": ("zh_hans", _("Chinese")),
    "fr": ("fr", _("French")),
    "ru": ("ru", _("Russian")),
    "es": ("es", _("Spanish")),
}


def text_in(language: str, field: type[models.Field], label, **options) -> models.Field:
    """The field holding a text in one language other than English (blank until entered)."""
    name = OTHER_LANGUAGES[language][1]
    return field(verbose_name=format_lazy("{} ({})", label, name), blank=True, **options)


class Shown(str):
    """A text as shown on a page, with the language it is written in."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "Shown":
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown

    @property
    def dir(self) -> str:
        return "rtl" if get_language_info(self.lang)["bidi"] else "ltr"


class InLanguage:
    """The text of a field in the active language, or its English text where none was entered:
    ``Cluster.name_shown``."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = get_language() or "en"
        suffix = OTHER_LANGUAGES.get(language, (None,))[0]
        if suffix is not None:
            text = getattr(instance, f"{self.field}_{suffix}", "")
            if text:
                return Shown(text, language)
        return Shown(getattr(instance, self.field), "en")


def with_translations(field: str) -> list[str]:
    """A translated field's name and those of its other languages, for ``only()``:
    ``issue__cluster__name`` gives ``issue__cluster__name_ar`` ... too."""
    return [field] + [f"{field}_{suffix}" for suffix, _name in OTHER_LANGUAGES.values()]
