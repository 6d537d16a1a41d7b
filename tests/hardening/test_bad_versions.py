"""Stale and tampered forms (``tests/files/bad/versions/cases.json``): every edit form of the
admin and the site, posted against a newer version of its record, or with its version field
left out, altered, or copied from another record's form, is answered with a message naming the
field, and nothing is written."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consensus.models import ConsensusItem, Decision, Option, Proposal
from issues.models import Cluster, Comment, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Report
from reports.services import report_draft_save
from tests import factories
from tests.forms import admin_change_data, admin_changelist_data, form_data
from wgec.models import Meeting, Participant
from wgec.versions import VERSION_FIELD, version_of, version_token

CASES = json.loads(
    (Path(__file__).parents[1] / "files" / "bad" / "versions" / "cases.json").read_text()
)["cases"]


@dataclass(frozen=True)
class Form:
    model: type[models.Model]
    client: str  # the persona who edits
    create: Callable[[dict], models.Model]  # a record this persona may edit
    url: Callable[[models.Model], str]
    read: Callable  # (client, url) -> the form as the page gives it
    key: str  # the name of the version field in the post
    edit: dict  # what the user changes
    meanwhile: Callable[[models.Model], None]  # someone else's save in between
    stored: Callable[[models.Model], object]  # the edited value as stored
    kept: str = "Mine"  # the user's input, as the refused page shows it again


def _admin(name: str) -> Callable[[models.Model], str]:
    return lambda record: reverse(f"admin:{name}_change", args=[record.pk])


def _page(client, url) -> dict:
    return form_data(client.get(url).context["form"])


def _admin_page(client, url) -> dict:
    return admin_change_data(client.get(url))


def _list_page(client, url) -> dict:
    return admin_changelist_data(client.get(url))


def _changed(field: str, value: str) -> Callable[[models.Model], None]:
    def change(record):
        record = type(record).objects.get(pk=record.pk)
        setattr(record, field, value)
        record.save()

    return change


def _field(field: str) -> Callable[[models.Model], object]:
    return lambda record: getattr(type(record).objects.get(pk=record.pk), field)


def _decision(people) -> Decision:
    meeting = factories.MeetingFactory(
        number=3, start_date=datetime.date(2014, 2, 24), end_date=datetime.date(2014, 2, 28)
    )
    item = factories.ConsensusItemFactory(
        state=ConsensusItem.State.REFERRED, referred_on=datetime.date(2014, 1, 28)
    )
    factories.OptionFactory(item=item, label="A")
    return factories.DecisionFactory(item=item, meeting=meeting, text="Keep it on the map.")


def _draft(people) -> Report:
    deliverable = factories.DeliverableFactory()
    return report_draft_save(deliverable=deliverable, introduction="The first draft.")


def _draft_changed(record: Report) -> None:
    report_draft_save(deliverable=record.deliverable, introduction="Changed meanwhile.")


FORMS: dict[str, Form] = {
    "admin-issue": Form(
        Issue, "secretariat_client", lambda people: factories.IssueFactory(),
        _admin("issues_issue"), _admin_page, VERSION_FIELD, {"title": "Mine"},
        _changed("description", "Changed meanwhile."), _field("title"),
    ),
    "admin-coverage-row": Form(
        Coverage, "secretariat_client",
        lambda people: factories.CoverageFactory(status=Coverage.Status.UNKNOWN),
        lambda row: reverse("admin:issues_issue_change", args=[row.issue_id]), _admin_page,
        f"coverage-0-{VERSION_FIELD}", {"coverage-0-evidence": "Mine"},
        _changed("status", Coverage.Status.PARTLY), _field("evidence"),
    ),
    "admin-gap-row": Form(
        Gap, "secretariat_client", lambda people: factories.GapFactory(),
        lambda row: reverse("admin:issues_issue_change", args=[row.issue_id]), _admin_page,
        f"gaps-0-{VERSION_FIELD}", {"gaps-0-recommendation": "Mine"},
        _changed("description", "Changed meanwhile."), _field("recommendation"),
    ),
    "admin-mechanism": Form(
        Mechanism, "secretariat_client", lambda people: factories.MechanismFactory(),
        _admin("mechanisms_mechanism"), _admin_page, VERSION_FIELD, {"name": "Mine"},
        _changed("acronym", "CHANGED"), _field("name"),
    ),
    "admin-participant": Form(
        Participant, "secretariat_client", lambda people: factories.ParticipantFactory(),
        _admin("wgec_participant"), _admin_page, VERSION_FIELD, {"organisation": "Mine"},
        _changed("organisation", "Changed meanwhile"), _field("organisation"),
    ),
    "admin-list-row": Form(
        Cluster, "secretariat_client",
        lambda people: factories.ClusterFactory(slug=f"cluster-{Cluster.objects.count()}",
                                                position=3),
        lambda cluster: reverse("admin:issues_cluster_changelist") + f"?id__exact={cluster.pk}",
        _list_page, f"form-0-{VERSION_FIELD}", {"form-0-position": "41"},
        _changed("position", 7), _field("position"), kept='value="41"',
    ),
    "comment": Form(
        Comment, "member_client",
        lambda people: factories.CommentFactory(author=people["member_user"].participant),
        lambda comment: reverse("issues:comment-edit", args=[comment.pk]), _page,
        VERSION_FIELD, {"text": "Mine."}, _changed("text", "Changed meanwhile."), _field("text"),
    ),
    "proposal": Form(
        Proposal, "member_client",
        lambda people: factories.ProposalFactory(proposer=people["member_user"].participant),
        lambda proposal: reverse("issues:proposal-edit", args=[proposal.pk]), _page,
        VERSION_FIELD, {"justification": "Mine."},
        _changed("justification", "Changed meanwhile."), _field("justification"),
    ),
    "item-summary": Form(
        ConsensusItem, "coordinator_client", lambda people: factories.ConsensusItemFactory(),
        lambda item: reverse("issues:item-edit", args=[item.pk]), _page,
        VERSION_FIELD, {"summary": "Mine."}, _changed("summary", "Changed meanwhile."),
        _field("summary"),
    ),
    "option": Form(
        Option, "coordinator_client", lambda people: factories.OptionFactory(),
        lambda option: reverse("issues:option-edit", args=[option.pk]), _page,
        VERSION_FIELD, {"text": "Mine."}, _changed("text", "Changed meanwhile."), _field("text"),
    ),
    "decision": Form(
        Decision, "chair_client", _decision,
        lambda decision: reverse("issues:item-decide", args=[decision.item_id]), _page,
        VERSION_FIELD, {"text": "Mine."}, _changed("text", "Changed meanwhile."), _field("text"),
    ),
    "report-draft": Form(
        Report, "coordinator_client", _draft,
        lambda report: reverse("reports:compose", args=[report.deliverable.slug]),
        lambda client, url: {**_page(client, url), "action": "save"},
        VERSION_FIELD, {"introduction": "Mine."}, _draft_changed, _field("introduction"),
    ),
}  # fmt: skip


def _altered(token: str, kind: str, form: Form, record, people) -> str | None:
    value, signature = token.rsplit(":", 1)
    if kind == "missing":
        return None
    if kind == "empty":
        return ""
    if kind == "garbage":
        return "not a version"
    if kind == "altered-number":
        key, pk, version = value.rsplit(":", 2)
        return f"{key}:{pk}:{int(version) + 1}:{signature}"
    if kind == "signature-cut":
        return value
    if kind == "huge":
        return "A" * 1_000_000
    if kind == "other-record":
        other = form.create(people)
        return version_token(form.model, other.pk, version_of(other))
    if kind == "other-model":
        other_model = Meeting if form.model is not Meeting else Cluster
        return version_token(other_model, record.pk, version_of(record))
    raise AssertionError(kind)


def _history_count(record) -> int:
    return type(record).history.filter(**{record._meta.pk.attname: record.pk}).count()


def test_the_corpus_holds_every_form_and_every_kind_of_stale_or_tampered_version():
    assert {case["form"] for case in CASES} == set(FORMS)
    assert len(CASES) == len({case["id"] for case in CASES}) == 108


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_a_stale_or_tampered_form_is_answered_and_writes_nothing(case, request):
    form = FORMS[case["form"]]
    people = {
        "member_user": request.getfixturevalue("member_user")
        if form.client == "member_client"
        else None
    }
    client = request.getfixturevalue(form.client)
    record = form.create(people)
    url = form.url(record)
    data = form.read(client, url)
    token = data[form.key]
    assert token, f"{case['id']}: the page carries no version"
    if case["version"] == "stale":
        form.meanwhile(record)
    else:
        altered = _altered(token, case["version"], form, record, people)
        if altered is None:
            del data[form.key]
        else:
            data[form.key] = altered
    data.update(form.edit)
    before = (_history_count(record), form.stored(record))

    response = client.post(url, data)

    assert response.status_code == 200, case["id"]
    page = response.content.decode()
    assert case["message"] in page, case["id"]
    assert (_history_count(record), form.stored(record)) == before, case["id"]
    assert form.kept in page, f"{case['id']}: the user's input is not kept"


# Queries of each edit page (read; refused), as measured on SQLite, plus two.
BUDGETS = {
    "admin-coverage-row": (17, 46),
    "admin-list-row": (11, 17),
    "admin-gap-row": (15, 42),
    "admin-issue": (13, 33),
    "admin-mechanism": (10, 23),
    "admin-participant": (11, 25),
    "comment": (7, 17),
    "decision": (13, 25),
    "item-summary": (8, 21),
    "option": (10, 21),
    "proposal": (8, 24),
    # The compose page reads the report for the Chair: progress, open items, proposals, deadlines.
    "report-draft": (34, 45),
}


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
def test_an_edit_page_and_its_refusal_read_as_many_queries_whatever_the_history(name, request):
    form = FORMS[name]
    people = {"member_user": request.getfixturevalue("member_user")}
    client = request.getfixturevalue(form.client)
    counts = []
    for saves in (1, 12):
        record = form.create(people)
        url = form.url(record)
        data = {**form.read(client, url), **form.edit}
        for _ in range(saves - 1):
            type(record).objects.get(pk=record.pk).save()  # history rows that change nothing
        read = _queries(client, "get", url)
        form.meanwhile(record)
        refused = _queries(client, "post", url, data)
        counts.append((read, refused))
    assert counts[0] == counts[1], counts
    assert counts[1][0] <= BUDGETS[name][0] and counts[1][1] <= BUDGETS[name][1], counts
