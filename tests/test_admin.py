"""Every model of the exercise can be listed, searched, added and edited by the secretariat."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from issues.models import IssueMerge
from reports.models import SymbolPattern
from tests import factories
from tests.forms import admin_change_data
from wgec.models import Participant, TermsOfReference

APPS = {"wgec", "issues", "mechanisms", "consensus", "reports", "inbound"}

FACTORIES = {
    "wgec.stakeholdergroup": factories.StakeholderGroupFactory,
    "wgec.participant": factories.ParticipantFactory,
    "wgec.meeting": factories.MeetingFactory,
    "wgec.attendance": factories.AttendanceFactory,
    "wgec.meetingdocument": factories.MeetingDocumentFactory,
    "issues.theme": factories.ThemeFactory,
    "issues.question": factories.QuestionFactory,
    "issues.respondent": factories.RespondentFactory,
    "issues.answer": factories.AnswerFactory,
    "issues.cluster": factories.ClusterFactory,
    "issues.issue": factories.IssueFactory,
    "issues.issuesource": factories.IssueSourceFactory,
    "consensus.consensusitem": factories.ConsensusItemFactory,
    "consensus.option": factories.OptionFactory,
    "consensus.optionsupport": factories.OptionSupportFactory,
    "consensus.decision": factories.DecisionFactory,
    "issues.issuemerge": lambda: IssueMerge.objects.create(
        survivor=factories.IssueFactory(),
        merged=factories.IssueFactory(state="merged", merged_into=factories.IssueFactory()),
        previous_state="on_map",
    ),
    "mechanisms.mechanism": factories.MechanismFactory,
    "mechanisms.coverage": factories.CoverageFactory,
    "mechanisms.gap": factories.GapFactory,
    "reports.deliverable": factories.DeliverableFactory,
    "reports.report": factories.ReportFactory,
    "reports.subscriber": factories.SubscriberFactory,
    "reports.delivery": factories.DeliveryFactory,
    "reports.editabletemplate": factories.EditableTemplateFactory,
    "reports.documentexport": factories.DocumentExportFactory,
    "wgec.joinrequest": factories.JoinRequestFactory,
    "wgec.contribution": factories.ContributionFactory,
    "consensus.proposal": factories.ProposalFactory,
    "issues.comment": factories.CommentFactory,
    "wgec.termsofreference": lambda: TermsOfReference.objects.create(
        meeting=factories.MeetingFactory(),
        title="Terms of reference of the correspondence group",
        agreed_on=datetime.date(2013, 11, 8),
    ),
    "inbound.inboundmessage": factories.InboundMessageFactory,
    "inbound.reportreply": factories.ReportReplyFactory,
    "reports.symbolpattern": lambda: SymbolPattern.objects.create(
        pattern="E/CN.16/{year}/CRP.{number}"
    ),
}

# Records the app writes itself: the admin shows them and never adds one by hand.
READ_ONLY = {
    "issues.issuemerge",
    "consensus.proposal",
    "wgec.joinrequest",
    "reports.report",
    "reports.delivery",
    "reports.documentexport",
    "inbound.inboundmessage",
    "inbound.reportreply",
    # One row only: once it exists, it is changed, never added again.
    "reports.symbolpattern",
}

REGISTERED = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in APPS
)


def test_every_domain_model_is_in_the_admin():
    assert set(REGISTERED) == set(FACTORIES)


def _url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_secretariat_sees_list_search_add_change_and_history(label, secretariat_client):
    obj = FACTORIES[label]()
    changelist = secretariat_client.get(_url(label, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    searched = secretariat_client.get(_url(label, "changelist"), {"q": "zzz-no-such-thing"})
    assert searched.status_code == 200
    added = secretariat_client.get(_url(label, "add")).status_code
    assert added == (403 if label in READ_ONLY else 200)
    change = secretariat_client.get(_url(label, "change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj
    assert secretariat_client.get(_url(label, "history", obj.pk)).status_code == 200


@pytest.mark.django_db
def test_changelists_filter_by_every_list_filter(secretariat_client):
    factories.DecisionFactory()
    factories.CoverageFactory()
    for label in REGISTERED:
        model_admin = next(
            a for m, a in admin.site._registry.items() if m._meta.label_lower == label
        )
        response = secretariat_client.get(_url(label, "changelist"))
        for spec in response.context["cl"].filter_specs:
            for choice in spec.choices(response.context["cl"]):
                query = choice["query_string"]
                filtered = secretariat_client.get(_url(label, "changelist") + query)
                assert filtered.status_code == 200, (label, model_admin, query)


@pytest.mark.django_db
def test_participant_autocomplete_finds_by_name(secretariat_client):
    factories.ParticipantFactory(name="Joy Liddicoat")
    factories.ParticipantFactory(name="Peter Major")
    response = secretariat_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "liddi",
            "app_label": "wgec",
            "model_name": "attendance",
            "field_name": "participant",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Joy Liddicoat"]


@pytest.mark.django_db
def test_admin_edit_is_recorded_in_history_under_the_secretariat_user(
    secretariat_client, secretariat_user
):
    participant = factories.ParticipantFactory(name="Phil Rushton", role=Participant.Role.MEMBER)
    url = _url("wgec.participant", "change", participant.pk)
    data = admin_change_data(secretariat_client.get(url))
    data.update({"role": Participant.Role.COORDINATOR, "correspondence_group": "on"})
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = participant.history.first()
    assert latest.history_user == secretariat_user
    assert latest.role == Participant.Role.COORDINATOR
    assert latest.prev_record.role == Participant.Role.MEMBER


@pytest.mark.django_db
def test_issue_form_sends_merges_to_the_merge_action(secretariat_client):
    other = factories.IssueFactory(title="children online")
    url = _url("issues.issue", "change", other.pk)
    data = {
        "title": other.title,
        "cluster": other.cluster_id,
        "description": other.description,
        "state": "merged",
        "consensus": "agreed",
    }
    for prefix in ("sources", "coverage", "gaps"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Merge issues with the action" in str(errors["state"])
    other.refresh_from_db()
    assert other.state == "on_map"


@pytest.mark.django_db
def test_recording_a_decision_in_the_admin_decides_the_item_and_its_issue(
    secretariat_client,
):
    item = factories.ConsensusItemFactory(state="referred", referred_on="2014-01-28")
    option = factories.OptionFactory(item=item, label="B")
    meeting = factories.MeetingFactory(number=3)
    response = secretariat_client.post(
        reverse("admin:consensus_decision_add"),
        {
            "item": item.pk,
            "option": option.pk,
            "text": "",
            "meeting": meeting.pk,
            "decided_on": "2014-02-26",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    item.issue.refresh_from_db()
    assert item.state == "decided"
    assert item.decision.option == option
    assert item.issue.consensus == "decided"


@pytest.mark.django_db
def test_admin_refuses_a_decision_on_an_item_not_yet_referred(secretariat_client):
    item = factories.ConsensusItemFactory(state="open")
    meeting = factories.MeetingFactory(number=3)
    response = secretariat_client.post(
        reverse("admin:consensus_decision_add"),
        {"item": item.pk, "text": "Adopted.", "meeting": meeting.pk, "decided_on": "2014-02-26"},
    )
    assert response.status_code == 200
    assert "Only an item referred" in str(response.context["adminform"].form.errors)


@pytest.mark.django_db
def test_only_staff_reach_the_admin(member_client, client):
    assert member_client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302
