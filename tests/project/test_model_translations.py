"""The models' own words in the six languages: every verbose name, choice label and help text
marked for translation and translated in every catalogue; and the texts the secretariat enters
per language (themes, questions, clusters' names, deliverables' titles) shown in the visitor's
language, falling back to English."""

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django_countries.fields import CountryField

from tests.factories import ClusterFactory
from wgec.translated import Shown

LOCALE = Path(settings.BASE_DIR) / "locale"
OUR_APPS = {"wgec", "issues", "mechanisms", "consensus", "reports", "inbound"}


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
    ]


def _words_of(model) -> list[tuple[str, object]]:
    """(where, text) for each name, label and help text a person reads of a model."""
    words = [
        (f"{model.__name__}.Meta.verbose_name", model._meta.original_attrs.get("verbose_name")),
        (
            f"{model.__name__}.Meta.verbose_name_plural",
            model._meta.original_attrs.get("verbose_name_plural"),
        ),
    ]
    for field in model._meta.get_fields():
        if not field.concrete or field.auto_created or field.name == "id":
            continue
        where = f"{model.__name__}.{field.name}"
        words.append((f"{where} verbose_name", field.verbose_name))
        if field.help_text:
            words.append((f"{where} help_text", field.help_text))
        if field.choices and not isinstance(field, CountryField):  # django-countries' own
            words += [(f"{where} choice {value}", label) for value, label in field.flatchoices]
    return words


def test_every_model_word_is_marked_for_translation():
    unmarked = [
        where
        for model in _models()
        for where, text in _words_of(model)
        if not isinstance(text, Promise)
    ]
    assert unmarked == []


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh_Hans"])
def test_every_model_word_is_in_the_catalogue_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in catalogue if entry.msgstr and not entry.fuzzy}
    # A label built of two (``format_lazy``: "title (French)") is checked by its parts.
    with translation.override("en"):
        missing = [
            (where, str(text))
            for model in _models()
            for where, text in _words_of(model)
            if isinstance(text, Promise)
            and str(text) not in translated
            and not all(part in translated for part in _parts(text))
        ]
    assert missing == []


def _parts(text) -> list[str]:
    """The marked pieces a lazy label is built of (``format_lazy``'s arguments)."""
    arguments = getattr(text, "_args", ())
    return [str(part) for part in arguments[1:]] if len(arguments) > 1 else [str(text)]


def test_a_field_name_and_a_choice_read_in_french():
    from issues.models import Issue
    from mechanisms.models import Coverage

    with translation.override("fr"):
        assert str(Issue._meta.verbose_name_plural) == "questions"
        assert str(Issue._meta.get_field("merged_into").verbose_name) == "fusionnée avec"
        assert str(Coverage.Status.PARTLY.label) != "Partly addressing"


@pytest.mark.django_db
def test_a_cluster_name_shows_in_the_visitors_language_and_falls_back_to_english():
    cluster = ClusterFactory(name="Security", name_fr="Sécurité", name_ar="الأمن")
    with translation.override("fr"):
        shown = cluster.name_shown
        assert (shown, shown.lang, shown.dir) == ("Sécurité", "fr", "ltr")
    with translation.override("ar"):
        assert (cluster.name_shown, cluster.name_shown.dir) == ("الأمن", "rtl")
    with translation.override("ru"):
        assert (cluster.name_shown, cluster.name_shown.lang) == ("Security", "en")
    assert isinstance(cluster.name_shown, Shown)


def test_each_translated_text_has_a_field_in_every_other_language():
    from issues.models import Cluster, Question, Theme
    from reports.models import Deliverable

    for model, field in (
        (Theme, "title"),
        (Question, "text"),
        (Cluster, "name"),
        (Deliverable, "title"),
    ):
        names = {f.name for f in model._meta.get_fields()}
        for suffix in ("ar", "es", "fr", "ru", "zh_hans"):
            assert f"{field}_{suffix}" in names
        # The English text keeps its own field, which the imports and documents read.
        assert field in names
