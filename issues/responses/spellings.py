"""Stakeholder groups and countries as people write them in a responses file: the usual variants,
French and Spanish names, ISO codes, and country names as UN lists invert them ("Korea,
Republic of")."""

import re
import unicodedata

from django_countries import countries

from wgec.models import StakeholderGroup


def spelling_key(text: str) -> str:
    """A loose spelling key: no case, accents, punctuation or leading "the"."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("&", " and ").replace("organiz", "organis")
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


GROUP_ALIASES: dict[str, list[str]] = {
    "governments": [
        "government",
        "gouvernement",
        "gouvernements",
        "gobierno",
        "gobiernos",
        "gov",
        "govt",
        "member state",
        "member states",
        "state",
        "states",
    ],
    "private-sector": [
        "business",
        "businesses",
        "business sector",
        "business private sector",
        "private sector business",
        "business and private sector",
        "industry",
        "private",
        "secteur prive",
        "sector privado",
    ],
    "civil-society": [
        "civil society organisation",
        "civil society organisations",
        "cso",
        "csos",
        "ngo",
        "ngos",
        "non governmental organisation",
        "non governmental organisations",
        "societe civile",
        "sociedad civil",
    ],
    "technical-academic": [
        "academia",
        "academic",
        "academic community",
        "technical",
        "technical community",
        "technical and academic community",
        "academic and technical community",
        "technical and academic communities",
        "academic and technical communities",
        "academic technical",
        "technical academic",
        "academia technical community",
        "communaute technique",
        "communaute technique et universitaire",
        "comunidad tecnica",
        "comunidad tecnica y academica",
    ],
    "intergovernmental": [
        "igo",
        "igos",
        "io",
        "international organisation",
        "international organisations",
        "intergovernmental organisation",
        "intergovernmental organisations",
        "intergovernmental and international organisation",
        "intergovernmental and international organisations",
        "igo international organisation",
        "organisation internationale",
        "organisations internationales",
        "organizacion internacional",
        "organizaciones internacionales",
    ],
}

COUNTRY_ALIASES: dict[str, str] = {
    # The names and abbreviations people write that are not ISO codes or django-countries
    # names; accents, case and punctuation do not matter (see spelling_key).
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "russia": "RU",
    "iran islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "korea republic of": "KR",
    "republic of korea": "KR",
    "korea rep": "KR",
    "south korea": "KR",
    "korea democratic people s republic of": "KP",
    "democratic people s republic of korea": "KP",
    "north korea": "KP",
    "dprk": "KP",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "congo democratic republic of the": "CD",
    "republic of the congo": "CG",
    "republic of congo": "CG",
    "congo brazzaville": "CG",
    "laos": "LA",
    "lao pdr": "LA",
    "former yugoslav republic of macedonia": "MK",
    "fyrom": "MK",
    "republic of moldova": "MD",
    "moldova republic of": "MD",
    "czechia": "CZ",
    "holland": "NL",
    "vatican": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "state of palestine": "PS",
    "burma": "MM",
    "east timor": "TL",
    "cape verde": "CV",
    "cabo verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "turkiye": "TR",
    "brunei": "BN",
    "syria": "SY",
    "syrian arab republic": "SY",
    "tanzania": "TZ",
    "united republic of tanzania": "TZ",
    "venezuela bolivarian republic of": "VE",
    "bolivarian republic of venezuela": "VE",
    "bolivia plurinational state of": "BO",
    "plurinational state of bolivia": "BO",
    "micronesia federated states of": "FM",
    "uae": "AE",
    "emirates": "AE",
    "ksa": "SA",
    "kingdom of saudi arabia": "SA",
    "gambia": "GM",
    "bahamas": "BS",
    "viet nam": "VN",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "st vincent and the grenadines": "VC",
}


class Spellings:
    """Stakeholder groups and countries by the names people give them."""

    def __init__(self) -> None:
        self.groups: dict[str, StakeholderGroup] = {}
        by_slug = {group.slug: group for group in StakeholderGroup.objects.all()}
        for slug, aliases in GROUP_ALIASES.items():
            if slug in by_slug:
                for alias in aliases:
                    self.groups[spelling_key(alias)] = by_slug[slug]
        for group in by_slug.values():  # the names of the database win over the aliases
            self.groups[spelling_key(group.slug)] = group
            self.groups[spelling_key(group.name)] = group
        self.countries = {spelling_key(name): code for code, name in countries}
        self.countries.update(COUNTRY_ALIASES)

    def group(self, text: str) -> StakeholderGroup:
        group = self.groups.get(spelling_key(text))
        if group is None:
            names = "; ".join(sorted({group.name for group in self.groups.values()}))
            raise ValueError(f"“{text}” is not a stakeholder group (write one of: {names}).")
        return group

    def country(self, text: str) -> str:
        """An ISO 3166-1 alpha-2 code, from a code (alpha-2, alpha-3, numeric) or a name."""
        if not text:
            return ""
        if len(text) <= 3 and text.strip().isalnum() and text.upper() not in {"UK"}:
            code = countries.alpha2(text.strip())
            if code:
                return code
        key = spelling_key(text)
        code = self.countries.get(key) or countries.by_name(text)
        if not code and "," in text:
            # "Korea, Republic of" and the like, as UN lists invert them.
            head, _, tail = text.partition(",")
            code = self.countries.get(spelling_key(f"{tail} {head}")) or countries.by_name(
                f"{tail.strip()} {head.strip()}"
            )
        if not code:
            raise ValueError(
                f"“{text}” is not a country (write its name or ISO code, e.g. “Brazil” or "
                "“BR”; leave the cell empty when there is none)."
            )
        return code
