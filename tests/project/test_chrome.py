"""The site's navigation, drawn once per process for each page and language, and kept."""

import pytest
from django.urls import reverse

from project.templatetags import chrome

pytestmark = pytest.mark.django_db


def _nav(text: str) -> str:
    return text.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]


def test_the_kept_navigation_marks_the_page_shown_in_the_visitors_language(client, monkeypatch):
    monkeypatch.setattr(chrome, "_drawn", {})
    english = _nav(client.get(reverse("reports:schedule")).content.decode())
    assert f'href="{reverse("reports:schedule")}" aria-current="page"' in english
    # Another page: its own link is marked, not the one drawn first.
    other = _nav(client.get(reverse("mechanisms:list")).content.decode())
    assert f'href="{reverse("mechanisms:list")}" aria-current="page"' in other
    assert 'aria-current="page"' not in other.split(reverse("reports:schedule"))[1][:30]
    client.cookies["wgec_language"] = "fr"
    french = _nav(client.get(reverse("reports:schedule")).content.decode())
    assert french != english and "Accueil" in french


def test_the_navigation_is_drawn_once_per_page_and_language(client, monkeypatch):
    monkeypatch.setattr(chrome, "_drawn", {})
    client.get(reverse("reports:schedule"))
    drawn = dict(chrome._drawn)
    assert ("_nav.html", "reports:schedule", "en") in drawn

    def refuse(name):
        raise AssertionError(f"{name} drawn again")

    monkeypatch.setattr(chrome, "get_template", refuse)
    response = client.get(reverse("reports:schedule"))
    assert response.status_code == 200 and drawn[("_nav.html", "reports:schedule", "en")] in (
        response.content.decode()
    )


def test_the_section_navigation_follows_the_page(client):
    text = client.get(reverse("issues:statistics")).content.decode()
    assert f'href="{reverse("issues:statistics")}" aria-current="page"' in text
    text = client.get(reverse("issues:gaps")).content.decode()
    assert f'href="{reverse("issues:gaps")}" aria-current="page"' in text
