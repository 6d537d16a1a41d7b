"""Country names as the United Nations prints them.

django-countries gives the ISO 3166 short names in common use ("Iran", "Russia"); United Nations
documents use the official short names of the UN's country list (UNTERM, M49): "Iran (Islamic
Republic of)", "Russian Federation". Lists of participants are in English alphabetical order of
these names.
"""

from django.utils import translation
from django_countries import countries

# Where the UN's short name differs from django-countries' (source: UN Statistics Division,
# Standard country or area codes for statistical use, M49).
UN_SHORT_NAMES = {
    "BN": "Brunei Darussalam",
    "BO": "Bolivia (Plurinational State of)",
    "CV": "Cabo Verde",
    "FM": "Micronesia (Federated States of)",
    "GB": "United Kingdom of Great Britain and Northern Ireland",
    "IR": "Iran (Islamic Republic of)",
    "KP": "Democratic People's Republic of Korea",
    "KR": "Republic of Korea",
    "LA": "Lao People's Democratic Republic",
    "MD": "Republic of Moldova",
    "NL": "Netherlands (Kingdom of the)",
    "PS": "State of Palestine",
    "RU": "Russian Federation",
    "SY": "Syrian Arab Republic",
    "TZ": "United Republic of Tanzania",
    "US": "United States of America",
    "VA": "Holy See",
    "VE": "Venezuela (Bolivarian Republic of)",
    "VN": "Viet Nam",
}


def un_name(code: str) -> str:
    """The UN short name of an ISO 3166-1 alpha-2 code ("" for none)."""
    code = (code or "").upper()
    if not code:
        return ""
    return UN_SHORT_NAMES.get(code) or countries.name(code) or code


# Each country's name in each language, as read (``country_name``).
_NAMES: dict[tuple[str | None, str], str] = {}


def country_name(code: str) -> str:
    """django-countries' name of ``code`` in the active language, as ``Country.name`` gives it
    ("" for none), kept in the process once read: django-countries translates the name at
    every read, a tenth of a list page of fifty respondents. Only names of known codes are
    kept (a few hundred for each language)."""
    key = (translation.get_language(), code)
    name = _NAMES.get(key)
    if name is None:
        name = countries.name(code) if code else ""
        if name:
            _NAMES[key] = name
    return name
