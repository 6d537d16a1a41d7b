"""Country names kept in the process once read (``wgec.countries.country_name``): the name
django-countries gives in the active language, whatever language asked first."""

import pytest
from django.utils import translation
from django_countries.fields import Country

from wgec import countries as country_module
from wgec.countries import country_name


@pytest.mark.parametrize("code", ["FR", "CN", "EG", "RU", "BR"])
def test_a_countrys_name_is_django_countries_name_in_each_language_asked_in_any_order(code):
    for language in ("fr", "en", "ar", "zh-hans", "en", "ru", "fr", "es"):
        with translation.override(language):
            assert country_name(code) == Country(code).name
    with translation.override("fr"), translation.override("ar"):
        assert country_name(code) == Country(code).name


def test_no_country_and_an_unknown_code_read_empty_and_are_not_kept():
    kept = len(country_module._NAMES)
    assert country_name("") == ""
    assert country_name("Q9") == Country("Q9").name
    with translation.override("fr"):
        country_name("FR")
    assert len(country_module._NAMES) <= kept + 1
    assert not [key for key in country_module._NAMES if key[1] in ("", "Q9")]
