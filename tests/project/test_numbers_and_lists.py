"""Counts and lists of names in the form of each language: "1 204" in French, "1,204" in
Chinese; "A, B et C", "A、B和C", "A وB"."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from mechanisms.models import Mechanism
from tests.factories import SubscriberFactory
from wgec.languages import list_text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Governments, Civil society and Private sector"),
        ("fr", "Governments, Civil society et Private sector"),
        ("zh-hans", "Governments、Civil society和Private sector"),
        ("ar", "Governments وCivil society وPrivate sector"),
    ],
)
def test_names_are_joined_as_each_language_joins_them(language, expected):
    with translation.override(language):
        assert list_text(["Governments", "Civil society", "Private sector"]) == expected


def test_counted_names_are_escaped_and_their_counts_grouped():
    template = Template("{% load wgec_text %}{{ pairs|counted_list }}")
    pairs = [("<b>Governments</b>", 1204), ("Civil society", 3)]
    with translation.override("fr"):
        shown = template.render(Context({"pairs": pairs}))
    assert shown == "&lt;b&gt;Governments&lt;/b&gt; (1\xa0204) et Civil society (3)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("fr", "1\xa0204"), ("zh-hans", "1,204"), ("ar", "1,204"), ("en", "1,204")],
)
def test_the_home_page_groups_the_digits_of_its_counts(client, settings, language, shown):
    Mechanism.objects.bulk_create(
        Mechanism(name=f"Mechanism {n}", kind=Mechanism.Kind.INTERGOVERNMENTAL) for n in range(1204)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("home")).content.decode()

    assert f"<dd>{shown}</dd>" in page


def test_an_admin_message_is_in_the_secretariats_language(secretariat_client, settings):
    subscriber = SubscriberFactory()
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = secretariat_client.post(
        reverse("admin:reports_subscriber_changelist"),
        {"action": "unsubscribe", "_selected_action": [subscriber.pk]},
        follow=True,
    ).content.decode()

    assert "1 adresse désabonnée." in page
    assert "Se désabonner" in page
