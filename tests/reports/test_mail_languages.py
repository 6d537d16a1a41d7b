"""E-mails in each reader's language: the update report in the language a person chose in their
profile, else the one they subscribed in; the subscription confirmation in the language of the
page it was asked from. The report's own text (the coordinators' introduction, the map) stays
as written; each language is rendered once for all its readers."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reports import services
from reports import wording as wording_module
from reports.models import Delivery, Report, Subscriber
from reports.rendering import Recipient, ReportMessages, report_compose
from tests.factories import DeliverableFactory, IssueFactory, ParticipantFactory, UserFactory
from tests.reports.conftest import committed
from wgec.models import Participant, Profile

pytestmark = pytest.mark.django_db

# The day the messages are written (their reply addresses count from it).
WRITTEN_ON = datetime.date(2014, 4, 30)

INTRODUCTION = "Dear Chair,\n\nThe group met twice."


def _send() -> Report:
    deliverable = DeliverableFactory(slug="update-1")
    return committed(
        lambda: services.report_send(deliverable=deliverable, introduction=INTRODUCTION)
    )


def _text(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def _html(received) -> str:
    return received.message.get_body(("html",)).get_content()


def test_a_french_and_an_english_subscriber_each_get_their_language(smtp_server):
    Subscriber.objects.create(
        email="ana@example.org", name="Ana", state="subscribed", language="fr"
    )
    Subscriber.objects.create(email="ben@example.org", name="Ben", state="subscribed")
    report = _send()
    assert report.delivery_counts()["sent"] == 2
    [to_ana] = smtp_server.to("ana@example.org")
    text = _text(to_ana)
    assert text.startswith("Bonjour Ana,")
    assert "PROGRÈS ACCOMPLIS AU REGARD DU MANDAT" in text
    assert "Pour quitter la liste de diffusion :" in text
    assert "The group met twice." in text  # the coordinators' words, as written
    html = _html(to_ana)
    assert '<html lang="fr" dir="ltr">' in html
    assert "<h2>Progrès accomplis au regard du mandat</h2>" in html
    [to_ben] = smtp_server.to("ben@example.org")
    assert _text(to_ben).startswith("Dear Ben,")
    assert "PROGRESS AGAINST THE TERMS OF REFERENCE" in _text(to_ben)
    assert "Progrès" not in _text(to_ben)
    # The report as sent (its archive) stays in English.
    assert "Progress against the terms of reference" in report.body_html


def test_an_arabic_reader_gets_a_right_to_left_message(smtp_server):
    Subscriber.objects.create(
        email="ali@example.org", name="Ali", state="subscribed", language="ar"
    )
    _send()
    [received] = smtp_server.to("ali@example.org")
    html = _html(received)
    assert '<html lang="ar" dir="rtl">' in html
    assert "التقدم المحرز قياساً بالاختصاصات" in html
    assert received.message["Subject"] == "[WGEC] " + Report.objects.get().content["title"]


def test_a_persons_profile_language_wins_over_the_one_they_subscribed_in(smtp_server):
    user = UserFactory()
    Profile.objects.create(user=user, language="ru")
    ParticipantFactory(
        name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org", user=user
    )
    Subscriber.objects.create(email="chair@example.org", state="subscribed", language="es")
    _send()
    assert Delivery.objects.get(email="chair@example.org").language == "ru"
    [received] = smtp_server.to("chair@example.org")
    assert _text(received).startswith("Уважаемый Председатель!")


@pytest.fixture
def report() -> Report:
    IssueFactory(title="Cybercrime")
    composed = report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(), introduction="We met."
    )
    return Report(
        deliverable=DeliverableFactory(),
        subject=composed.subject,
        content=composed.content,
        body_text=composed.body_text,
        body_html=composed.body_html,
    )


def _renders(report, monkeypatch, per_language: int) -> int:
    rendered = []
    original = wording_module.render_source

    def counting(name, source, context, template=None):
        rendered.append(name)
        return original(name, source, context, template)

    monkeypatch.setattr(wording_module, "render_source", counting)
    messages = ReportMessages(report)
    for language in ("fr", "en", "zh-hans"):
        for n in range(per_language):
            recipient = Recipient(
                f"{language}{n}@example.org", f"P {n}", False, f"t{language}{n}", language=language
            )
            messages.message(recipient, written_on=WRITTEN_ON)
    monkeypatch.setattr(wording_module, "render_source", original)
    return len(rendered)


def test_each_language_is_rendered_once_whatever_the_number_of_its_readers(report, monkeypatch):
    few = _renders(report, monkeypatch, per_language=2)
    many = _renders(report, monkeypatch, per_language=12)
    assert few == many


def test_the_messages_of_one_language_are_those_of_the_usual_rendering(report):
    from reports.rendering import report_message

    recipient = Recipient("ana@example.org", "Ana", False, "tok", language="es")
    prepared = ReportMessages(report).message(recipient, written_on=WRITTEN_ON)
    usual = report_message(report, recipient, written_on=WRITTEN_ON)
    assert prepared.body == usual.body and prepared.subject == usual.subject
    assert prepared.body.startswith("Estimado/a Ana:")


def test_subscribing_from_a_french_page_confirms_in_french_and_keeps_the_language():
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    committed(
        lambda: client.post(
            "/reports/subscribe/", {"email": "ana@example.org", "name": "Ana", "website": ""}
        )
    )
    assert Subscriber.objects.get().language == "fr"
    [message] = mail.outbox
    assert message.subject == (
        "Confirmez votre abonnement aux rapports du groupe de correspondance du WGEC"
    )
    assert message.body.startswith("Bonjour Ana,")
    assert "Groupe de travail sur le renforcement de la coopération" in message.body


def test_the_secretariat_sees_and_changes_a_subscribers_language(admin_client):
    subscriber = Subscriber.objects.create(email="ana@example.org", state="subscribed")
    page = admin_client.get(f"/admin/reports/subscriber/{subscriber.pk}/change/").content.decode()
    assert 'name="language"' in page


def test_the_report_page_shows_the_report_in_the_readers_language(
    smtp_server, django_assert_max_num_queries, settings
):
    _send()
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built, in each language
    # The English page's queries, and two more: the frozen content and the wording in force.
    with django_assert_max_num_queries(12):
        french = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/reports/update-1/").content.decode()
    assert "<h2>Progrès accomplis au regard du mandat</h2>" in french
    assert "The group met twice." in french
    english = Client().get("/reports/update-1/").content.decode()
    assert "<h2>Progress against the terms of reference</h2>" in english
