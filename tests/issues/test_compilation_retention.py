"""Withdrawing a respondent's consent removes the kept compilations that may hold their answers,
whether it is withdrawn in the admin or by an import; so does deleting a respondent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import exports
from issues.services.responses import responses_import_file
from issues.tasks import compilation_build
from tests.factories import AnswerFactory, RespondentFactory
from tests.forms import admin_change_data
from wgec.documents.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

SECRET = "Our ministry's confidential view."


@pytest.fixture
def ana(questionnaire):
    respondent = RespondentFactory(name="Ana Ministry", organisation="Ministry", country="BR")
    AnswerFactory(respondent=respondent, question=questionnaire["Q4"], text=SECRET)
    return respondent


def _kept(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / exports.COMPILATIONS
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _build_compilations(client) -> None:
    for name, fmt in (("issues:respondent-export", "xlsx"), ("issues:question-export", "docx")):
        assert client.get(reverse(name, args=[fmt])).status_code == 200


def test_withdrawing_consent_in_the_admin_removes_the_kept_compilations(
    client, secretariat_client, ana, settings, django_capture_on_commit_callbacks
):
    _build_compilations(client)
    assert len(_kept(settings)) == 2
    url = reverse("admin:issues_respondent_change", args=[ana.pk])
    data = admin_change_data(secretariat_client.get(url))
    data.pop("consent_to_cite")  # the box unticked
    submitted = timezone.localtime(ana.submitted_at)  # the admin's date and time boxes
    data["submitted_at_0"], data["submitted_at_1"] = (
        f"{submitted:%Y-%m-%d}",
        f"{submitted:%H:%M:%S}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ana.refresh_from_db()
    assert not ana.consent_to_cite
    assert _kept(settings) == []


def test_withdrawing_consent_by_an_import_removes_the_kept_compilations(
    client, ana, settings, django_capture_on_commit_callbacks
):
    _build_compilations(client)
    headers = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
               "Stakeholder group", "Consent to cite", "Q4"]  # fmt: skip
    row = [ana.pk, ana.submitted_at.strftime("%Y-%m-%d %H:%M"), ana.name, ana.organisation,
           "Brazil", ana.stakeholder_group.name, "No", SECRET]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        plan = responses_import_file(data=csv_bytes(headers, [row]), filename="r.csv")
    assert plan.errors == [] and plan.counts == {"update": 1}
    assert _kept(settings) == []


def test_an_import_that_keeps_consent_keeps_the_compilations(
    client, ana, settings, django_capture_on_commit_callbacks
):
    _build_compilations(client)
    headers = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
               "Stakeholder group", "Consent to cite", "Q4"]  # fmt: skip
    row = [ana.pk, ana.submitted_at.strftime("%Y-%m-%d %H:%M"), "Ana Ministry (renamed)",
           ana.organisation, "Brazil", ana.stakeholder_group.name, "Yes", SECRET]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        responses_import_file(data=csv_bytes(headers, [row]), filename="r.csv")
    assert len(_kept(settings)) == 2


def test_deleting_a_respondent_in_the_admin_removes_the_kept_compilations(
    client, secretariat_client, ana, settings, django_capture_on_commit_callbacks
):
    _build_compilations(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:issues_respondent_delete", args=[ana.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert _kept(settings) == []


def test_a_build_that_finishes_after_the_data_changed_keeps_nothing(ana, settings):
    query = ""
    path = exports.compilation_path(
        kind="respondent", fmt="xlsx", query=query, stamp=exports.data_stamp()
    )
    ana.consent_to_cite = False
    ana.save()  # consent withdrawn while the build runs
    compilation_build.call(kind="respondent", fmt="xlsx", query=query, path=path)
    assert _kept(settings) == []
