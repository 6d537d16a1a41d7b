"""The five United Nations regional groups and the States in each.

Respondents and participants carry a country; their regional group follows from it. Territories
and bodies without a State give no group. The United States, which sits in no group but takes
part in the Western European and others Group for electoral purposes, is counted there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia-pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern-european", _("Eastern European States")
    GRULAC = "grulac", _("Latin American and Caribbean States")
    WEOG = "weog", _("Western European and other States")


_MEMBERS: dict[RegionalGroup, str] = {
    RegionalGroup.AFRICAN: (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
        "MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW"
    ),
    RegionalGroup.ASIA_PACIFIC: (
        "AF BH BD BT BN KH CN CY KP FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR "
        "NP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE PS"
    ),
    RegionalGroup.EASTERN_EUROPEAN: (
        "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME PL MD RO RU RS SK SI MK UA"
    ),
    RegionalGroup.GRULAC: (
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC "
        "SR TT UY VE"
    ),
    RegionalGroup.WEOG: (
        "AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB US"
    ),
}

GROUP_OF_COUNTRY: dict[str, RegionalGroup] = {
    code: group for group, codes in _MEMBERS.items() for code in codes.split()
}


def regional_group_of(country_code: str) -> RegionalGroup | None:
    """The UN regional group of an ISO 3166-1 alpha-2 country code, or None."""
    return GROUP_OF_COUNTRY.get((country_code or "").upper())


def countries_in(group: str) -> list[str]:
    """The country codes of a regional group (given by its value), for filtering."""
    return [code for code, member_of in GROUP_OF_COUNTRY.items() if member_of == group]
