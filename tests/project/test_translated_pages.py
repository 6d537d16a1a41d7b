"""The secretariat's import pages, the coordinators' dashboard and the mailing list's pages in
French and Arabic: their fixed words, their messages and their dates follow the reader's
language (issue 15)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from reports import services
from tests.factories import DeliverableFactory
from wgec.imports import import_progress_text, import_size_refusal

FRENCH = {"accept-language": "fr"}
ARABIC = {"accept-language": "ar"}


def test_the_responses_import_page_speaks_french_and_arabic(
    secretariat_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        french = secretariat_client.get(reverse("admin:issues_respondent_import"), headers=FRENCH)
    text = french.content.decode()
    assert '<li aria-current="page">Importer des réponses</li>' in text
    assert "Fichier des réponses" in text and "Ordre des dates" in text
    assert 'value="Téléverser et prévisualiser"' in text
    assert "<strong>une cellule vide supprime la réponse de ce répondant</strong>" in text
    assert "Upload and preview" not in text

    arabic = secretariat_client.get(reverse("admin:issues_respondent_import"), headers=ARABIC)
    text = arabic.content.decode()
    assert 'dir="rtl"' in text
    assert '<li aria-current="page">استيراد الردود</li>' in text
    assert 'value="التحميل والمعاينة"' in text


def test_the_map_import_refuses_a_file_in_the_readers_language(secretariat_client):
    response = secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {"files": [SimpleUploadedFile("notes.txt", b"not a workbook", content_type="text/plain")]},
        headers=FRENCH,
    )
    assert "notes.txt : choisissez des fichiers .xlsx ou .csv." in response.content.decode()


def test_an_imports_progress_and_size_refusal_are_said_in_the_active_language(settings):
    settings.IMPORT_MAX_MB = 1
    with translation.override("fr"):
        assert import_progress_text(12, 300) == "12 lignes sur 300"
        assert import_progress_text(1, 0) == "1 ligne lue"
        assert import_size_refusal("a.csv", 3 * 2**20).startswith("a.csv pèse 3,0 Mo")
    with translation.override("ru"):
        assert import_progress_text(5, 0) == "прочитано 5 строк"
    with translation.override("en"):
        assert import_progress_text(0, 0) == ""
        assert import_progress_text(2, 0) == "2 rows read"


@pytest.mark.django_db
def test_the_dashboard_speaks_french_and_arabic_with_dates_in_each_language(
    coordinator_client, django_assert_max_num_queries
):
    DeliverableFactory(
        slug="update-1", title="Invented update", due_date=datetime.date(2013, 11, 30)
    )
    with django_assert_max_num_queries(20):
        french = coordinator_client.get(reverse("reports:dashboard"), headers=FRENCH)
    text = french.content.decode()
    assert "<h1>Tableau de bord des coordonnateurs</h1>" in text
    assert '<h2 id="due">Prochaines échéances</h2>' in text
    assert "<td>30 novembre 2013</td>" in text
    assert "Questions sans mécanisme (0)" in text
    assert ">Préparer</button>" in text

    arabic = coordinator_client.get(reverse("reports:dashboard"), headers=ARABIC)
    text = arabic.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert '<h2 id="due">المواعيد المقبلة</h2>' in text
    assert "Due next" not in text

    english = coordinator_client.get(reverse("reports:dashboard")).content.decode()
    assert "<td>30 November 2013</td>" in english


@pytest.mark.django_db
def test_the_subscription_form_speaks_french_and_arabic(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        french = client.get(reverse("reports:subscribe"), headers=FRENCH)
    text = french.content.decode()
    assert "<h1>S’abonner à la liste de diffusion</h1>" in text
    assert "Adresse électronique" in text and "Nom (facultatif)" in text
    assert ">Laissez ce champ vide</label>" in text
    assert '<button type="submit">S’abonner</button>' in text

    arabic = client.get(reverse("reports:subscribe"), headers=ARABIC).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<h1>الاشتراك في القائمة البريدية</h1>" in arabic
    assert "عنوان البريد الإلكتروني" in arabic

    requested = client.post(
        reverse("reports:subscribe"), {"email": "invented@example.org"}, headers=FRENCH
    ).content.decode()
    assert "<h1>Consultez votre boîte de réception</h1>" in requested
    assert "Si <strong>invented@example.org</strong> ne figure pas encore sur la liste" in requested


@pytest.mark.django_db
def test_a_broken_mailing_list_link_is_explained_in_the_readers_language(client):
    page = client.get(reverse("reports:unsubscribe", args=["no-such-token"]), headers=FRENCH)
    assert page.status_code == 404
    assert "Ce lien de désabonnement n’est pas valide." in page.content.decode()
    confirm = client.get(reverse("reports:subscribe-confirm", args=["forged"]), headers=ARABIC)
    assert "رابط التأكيد هذا غير صالح." in confirm.content.decode()


@pytest.mark.django_db
def test_a_date_of_issue_after_today_is_refused_in_the_active_language(today):
    deliverable = DeliverableFactory(slug="update-1")
    with translation.override("fr"), pytest.raises(services.IssueDateError) as refused:
        services.issue_date_check(
            deliverable=deliverable,
            issued_on=datetime.date(2099, 1, 5),
            now=datetime.datetime.now(datetime.UTC),
        )
    assert str(refused.value).startswith("La date de publication, 5 janvier 2099, est postérieure")


@pytest.mark.django_db
def test_commands_speak_english_unless_a_language_is_active(tmp_path):
    missing = str(tmp_path / "map.xlsx")
    # A command's process activates no language: Django's own LANGUAGE_CODE, English, speaks.
    with translation.override(None), pytest.raises(CommandError) as refused:
        call_command("import_map", missing)
    assert str(refused.value) == f"{missing}: no such file."
    with translation.override("fr"), pytest.raises(CommandError) as refused:
        call_command("import_map", missing)
    assert str(refused.value) == f"{missing} : fichier introuvable."
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("import_map", missing)
    assert str(refused.value).endswith("：文件不存在。")
