import pytest

from reports import services
from reports.admin import EditableTemplateForm
from reports.models import EditableTemplate
from reports.wording import EDITABLE_NAMES, Wording, check_source, shipped_source
from tests.factories import DeliverableFactory
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", EDITABLE_NAMES)
def test_every_shipped_template_passes_its_own_check(name):
    assert check_source(name, shipped_source(name)) is None


def test_a_broken_edit_is_a_clear_form_error():
    form = EditableTemplateForm(
        data={"name": "reports/email/report.txt", "source": "Dear {% if to_chair %}Chair"}
    )
    assert not form.is_valid()
    assert "The template cannot be read" in form.errors["source"][0]
    form = EditableTemplateForm(
        data={"name": "reports/email/report_subject.txt", "source": "{% if False %}x{% endif %}"}
    )
    assert not form.is_valid()
    assert form.errors["source"] == ["A subject cannot be empty."]
    form = EditableTemplateForm(
        data={
            "name": "reports/email/report_subject.txt",
            "source": "{{ report.title }} {% include 'reports/no-such-file.txt' %}",
        }
    )
    assert not form.is_valid()
    assert "fails when rendered with sample data" in form.errors["source"][0]


def test_the_secretariat_edits_the_wording_in_the_admin(secretariat_client):
    page = secretariat_client.get(
        "/admin/reports/editabletemplate/add/?name=reports/email/report_subject.txt"
    ).content.decode()
    assert "[{{ group_short_name }}] {{ report.title }}" in page
    response = secretariat_client.post(
        "/admin/reports/editabletemplate/add/",
        {"name": "reports/email/report_subject.txt", "source": "Report: {{ report.title }}"},
    )
    assert response.status_code == 302
    response = secretariat_client.post(
        "/admin/reports/editabletemplate/add/",
        {"name": "reports/email/report.txt", "source": "{% for %}"},
    )
    assert response.status_code == 200
    assert "The template cannot be read" in response.content.decode()
    assert EditableTemplate.objects.count() == 1


def test_edited_wording_is_used_and_frozen_with_the_sent_report(mailoutbox):
    EditableTemplate.objects.create(
        name="reports/email/report_subject.txt", source="Report: {{ report.title }}"
    )
    EditableTemplate.objects.create(
        name="reports/email/report.txt", source="Hello {{ recipient_email }}\n{{ body_text }}"
    )
    deliverable = DeliverableFactory(slug="update-1", title="First update")
    from reports.models import Subscriber

    Subscriber.objects.create(email="ana@example.org", state="subscribed")
    report = committed(lambda: services.report_send(deliverable=deliverable, introduction=""))
    assert report.subject == "Report: First update"
    [message] = mailoutbox
    assert message.subject == "Report: First update"
    assert message.body.startswith("Hello ana@example.org")
    EditableTemplate.objects.filter(name="reports/email/report.txt").update(source="Changed")
    assert report.email_templates["reports/email/report.txt"].startswith("Hello")


def test_a_stored_wording_that_fails_at_sending_time_falls_back_to_the_shipped_text():
    wording = Wording({"reports/email/report_subject.txt": "{% include 'missing.txt' %}"})
    line = wording.line(
        "reports/email/report_subject.txt", {"report": {"title": "T"}, "group_short_name": "WGEC"}
    )
    assert line == "[WGEC] T"
