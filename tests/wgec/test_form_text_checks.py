"""Every text field of the site's forms and of the admin refuses NUL and control characters,
naming the field; one-line fields (names, addresses) refuse line breaks too."""

import importlib
import inspect

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from issues.models import Comment
from tests.factories import IssueFactory, ParticipantFactory, StakeholderGroupFactory
from wgec.models import JoinRequest, Participant
from wgec.text_checks import CheckedTextMixin

pytestmark = pytest.mark.django_db

ROOMS = ["wgec", "issues", "mechanisms", "consensus", "reports", "project"]
FORM_MODULES = [
    "wgec.forms",
    "wgec.accounts",
    "wgec.filters",
    "issues.forms",
    "issues.admin",
    "issues.admin_curation",
    "mechanisms.admin_workbook",
    "consensus.forms",
    "reports.forms",
    "reports.admin",
]


def _site_forms():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def _checked(field: forms.Field) -> bool:
    return any(
        getattr(validator, "__qualname__", "").startswith("refuse_control_characters")
        for validator in field.validators
    )


@pytest.mark.parametrize("form_class", list(_site_forms()), ids=lambda c: c.__qualname__)
def test_every_form_of_the_site_checks_its_text(form_class):
    assert issubclass(form_class, CheckedTextMixin)


def test_every_admin_form_checks_every_text_field(secretariat_user):
    request = RequestFactory().get("/admin/")
    request.user = secretariat_user
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ROOMS:
            continue
        form_class = model_admin.get_form(request)
        for name, field in form_class().fields.items():
            is_text = isinstance(field, forms.CharField)
            if (
                is_text
                and not isinstance(field.widget, forms.PasswordInput)
                and not _checked(field)
            ):
                unchecked.append(f"{model.__name__}.{name}")
    assert unchecked == []


def test_a_name_with_a_line_break_is_refused_naming_the_field(observer_client):
    group = StakeholderGroupFactory(slug="civil-society")
    response = observer_client.post(
        reverse("wgec:join"),
        {
            "name": "Amina\r\nBcc: everyone@example.org",
            "organisation": "Réseau",
            "stakeholder_group": group.pk,
            "country": "SN",
        },
    )
    assert response.status_code == 200
    assert "“Your name” contains a carriage return (U+000D) at character 6" in (
        response.content.decode()
    )
    assert JoinRequest.objects.count() == 0


def test_a_nul_in_a_comment_is_refused_naming_the_field(member_client):
    issue = IssueFactory()
    response = member_client.post(
        reverse("issues:comment-create", args=[issue.pk]), {"text": "fine\nthen\x00not"}
    )
    assert "“Your comment” contains a NUL character (U+0000) at character 10" in (
        response.content.decode()
    )
    assert Comment.objects.count() == 0


def test_the_admin_refuses_a_control_character_in_a_participants_name(secretariat_client):
    participant = ParticipantFactory(name="Ada Lovelace")
    url = reverse("admin:wgec_participant_change", args=[participant.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            name: [v.pk for v in value]
            for name, value in form.initial.items()
            if isinstance(value, list)
        }
    )
    data["name"] = "Ada\x1bLovelace"
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert "“Name” contains an escape character (U+001B) at character 4" in (
        response.content.decode()
    )
    assert Participant.objects.get(pk=participant.pk).name == "Ada Lovelace"
