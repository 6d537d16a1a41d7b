"""The interface in the six official languages: every template's words marked for translation,
every catalogue complete, and the language chosen by the browser, the menu or the profile."""

import datetime
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation

from consensus.services.items import item_refer
from tests.factories import PASSWORD, ConsensusItemFactory, UserFactory
from wgec.models import Profile
from wgec.services import email_verified_ensure

TEMPLATES = Path(settings.BASE_DIR) / "templates"
LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUE_LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]

# Words that are the same in every language: file formats and the site's name.
SAME_IN_EVERY_LANGUAGE = {"CSV", "XLSX", "DOCX", "PDF", "JSON", "EML", "wgec", "WGEC"}

_TAG = re.compile(r"<[^<>]*>", re.S)
_SHOWN_ATTRIBUTE = re.compile(
    r"""\b(?:title|alt|placeholder|aria-label|data-label)\s*=\s*"([^"]*)\""""
)
_PLAIN_ARGUMENT = re.compile(r"""\w=["']([^"']*)["']""")
_QUOTED_RECORD = re.compile(r"<(\w+)\b[^<>]*\blang=\"en\"[^<>]*>.*?</\1>", re.S)
# Code (field names, values of a data format) and what HTML marks translate="no" (file names)
# read the same in every language.
_NOT_TRANSLATED = re.compile(
    r"<code\b[^<>]*>.*?</code>|<(\w+)\b[^<>]*\btranslate=\"no\"[^<>]*>.*?</\1>", re.S
)
# A document's style sheet (the PDFs' templates carry their own): rules, not words anyone reads.
_STYLE = re.compile(r"<style\b[^<>]*>.*?</style>", re.S)
_PLAIN_DEFAULT = re.compile(r"""\|default:["']([^"']*)["']""")
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"[^\W\d_]+")


def unmarked_words(source: str) -> list[str]:
    """The pieces of text of a template that hold a word outside {% translate %} and
    {% blocktranslate %}: text between tags, and the attributes a person reads (title, alt,
    placeholder, aria-label, and data-label, which a phone shows before a cell). Template tags
    and variables count as no text."""
    pieces: list[str] = []
    found: list[str] = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name == "include" and depth == 0:
                # Words handed to an included template: with what=_("...") they are marked.
                found += _PLAIN_ARGUMENT.findall(token.contents)
            if name in {"blocktranslate", "blocktrans", "comment"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                depth -= 1
            pieces.append("\x00")
        elif token.token_type == TokenType.TEXT and depth == 0:
            pieces.append(token.contents)
        elif token.token_type == TokenType.VAR and depth == 0:
            # A default shown in place of a value: {{ x|default:_("...") }} is marked.
            found += _PLAIN_DEFAULT.findall(token.contents)
            pieces.append("\x00")
        else:
            pieces.append("\x00")
    # An element marked lang="en" quotes a record as it was issued (the terms of reference):
    # shown in English in every language, never translated by the site.
    text = _QUOTED_RECORD.sub("\x00", "".join(pieces))
    text = _NOT_TRANSLATED.sub("\x00", text)
    text = _STYLE.sub("\x00", text)
    found = [value for value in found if _has_words(value)]
    found += [value for value in _SHOWN_ATTRIBUTE.findall(text) if _has_words(value)]
    between = _TAG.sub("\x00", text)
    found += [piece.strip() for piece in between.split("\x00") if _has_words(piece)]
    return found


def _has_words(text: str) -> bool:
    words = _WORD.findall(_ENTITY.sub(" ", text))
    return any(word not in SAME_IN_EVERY_LANGUAGE for word in words)


def _templates() -> list[str]:
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", _templates())
def test_templates_have_no_unmarked_words(name):
    found = unmarked_words((TEMPLATES / name).read_text(encoding="utf-8"))
    assert not found, f"{name}: words outside {{% translate %}}: {found}"


def test_the_checker_finds_unmarked_words_and_passes_marked_ones():
    assert unmarked_words('<p title="Open it">{% translate "Hello" %}</p>') == ["Open it"]
    assert unmarked_words("<td>{{ count }} issues</td>") == ["issues"]
    assert unmarked_words('{% include "x.html" with what="Invented" %}') == ["Invented"]
    assert unmarked_words('{% include "x.html" with what=_("Invented") %}') == []
    assert unmarked_words('{{ x|default:"None yet" }}{{ y|default:_("None") }}') == ["None yet"]
    assert unmarked_words('<ol lang="en"><li>As agreed</li></ol><p>Said</p>') == ["Said"]
    assert unmarked_words('<code>state</code> <a translate="no">issues.json</a> or') == ["or"]
    assert unmarked_words("<style>p { margin: 0 auto; }</style><p>Said</p>") == ["Said"]
    assert (
        unmarked_words(
            "{% blocktranslate %}<b>{{ n }}</b> issues{% endblocktranslate %}<td>CSV</td>"
        )
        == []
    )


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_catalogue_entry_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 0
    problems = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or not (entry.msgstr or all(entry.msgstr_plural.values()))
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        )
    ]
    assert not problems, f"{language}: untranslated or fuzzy: {problems}"


@pytest.mark.django_db
def test_accept_language_french_gives_the_issue_list_in_french(client):
    response = client.get(reverse("issues:list"), headers={"accept-language": "fr-CH, fr;q=0.9"})
    page = response.content.decode()
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in page
    assert "<h1>La carte des questions</h1>" in page


@pytest.mark.django_db
def test_an_arabic_page_is_right_to_left(client):
    response = client.get(reverse("issues:list"), headers={"accept-language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself_and_sets_the_cookie(client):
    page = client.get(reverse("home")).content.decode()
    for name in ["العربية", "中文", "English", "Français", "Русский", "Español"]:
        assert f">{name}</button>" in page
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("issues:list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-hans"' in client.get(reverse("issues:list")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_signed_in_persons_language_is_kept_and_applied_at_their_next_login(client):
    user = UserFactory(username="amina", email="amina@example.org")
    email_verified_ensure(user)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert Profile.objects.get(user=user).language == "ar"

    # Another browser, whose own language is English: the login brings the profile's.
    other = type(client)()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other.post(reverse("account_login"), {"login": "amina", "password": PASSWORD})
    response = other.get(reverse("issues:list"))
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


@pytest.mark.django_db
def test_a_language_chosen_before_logging_in_is_kept_in_the_profile(client):
    user = UserFactory(username="li", email="li@example.org")
    email_verified_ensure(user)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    client.post(reverse("account_login"), {"login": "li", "password": PASSWORD})
    assert Profile.objects.get(user=user).language == "zh-hans"


@pytest.mark.django_db
def test_data_downloads_stay_in_english_for_a_french_visitor(client):
    response = client.get(reverse("issues:list-csv"), headers={"accept-language": "fr"})
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("Issue ID")


@pytest.mark.django_db
def test_the_correspondence_groups_pages_speak_french(member_client, client):
    french = {"accept-language": "fr"}
    proposals = member_client.get(reverse("issues:proposal-list"), headers=french)
    assert "<h1>Vos propositions</h1>" in proposals.content.decode()
    joining = member_client.get(reverse("wgec:join"), headers=french).content.decode()
    assert "Vous êtes déjà membre du groupe de correspondance." in joining
    archive = client.get(reverse("inbound:index"), headers=french).content.decode()
    assert "<h1>Les archives de la liste</h1>" in archive
    assert ">Connectez-vous</a> pour lire les réponses et les observations." in archive


@pytest.mark.django_db
def test_the_proposal_form_and_its_message_speak_french(member_client):
    french = {"accept-language": "fr"}
    page = member_client.get(reverse("issues:proposal-create-issue"), headers=french)
    text = page.content.decode()
    assert "Groupe thématique (si vous pouvez en suggérer un)" in text
    assert ">Titre" in text
    assert "la syntaxe Markdown (*mise en relief*, listes, liens) est reconnue." in text
    response = member_client.post(
        reverse("issues:proposal-create-issue"),
        {"title": "Une question inventée", "justification": "Texte illustratif."},
        headers=french,
        follow=True,
    )
    assert "a été transmise aux coordonnateurs" in response.content.decode()


@pytest.mark.django_db
def test_the_joining_form_speaks_french(client):
    user = UserFactory(username="ines", email="ines@example.org")
    email_verified_ensure(user)
    client.force_login(user)
    page = client.get(reverse("wgec:join"), headers={"accept-language": "fr"}).content.decode()
    assert "Votre nom" in page
    assert "Note à l’intention des coordonnateurs" in page
    assert "Groupe de parties prenantes" in page


@pytest.mark.django_db
def test_a_services_refusal_is_given_in_the_active_language():
    item = ConsensusItemFactory()
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        item_refer(item=item, referred_on=datetime.date(2013, 11, 4))
    assert refused.value.messages == [
        "Rédigez au moins deux options rendant compte de l’éventail des opinions avant de "
        "renvoyer le point."
    ]
