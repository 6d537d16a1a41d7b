import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consensus.models import ConsensusItem
from reports import services
from reports.models import Deliverable, Delivery, Report
from reports.previewing import report_message_preview
from reports.rendering import report_compose
from reports.views import dashboard
from reports.views import report_compose as compose_view
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DeliverableFactory,
    DocumentExportFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    ParticipantFactory,
    ProposalFactory,
)
from tests.forms import form_data
from tests.reports.conftest import committed
from wgec.models import Participant
from wgec.roles import Role

pytestmark = pytest.mark.django_db


def _grow(n: int, prefix: str) -> None:
    cluster = ClusterFactory(slug=f"cluster-{prefix}")
    for i in range(n):
        issue = IssueFactory(title=f"{prefix} issue {i}", cluster=cluster)
        CoverageFactory(issue=issue)
        GapFactory(issue=issue)
        IssueFactory(title=f"{prefix} bare {i}", cluster=cluster)
        ConsensusItemFactory(issue=IssueFactory(cluster=cluster), summary=f"{prefix} {i}")
        ParticipantFactory()
        ProposalFactory(coverage__issue__cluster=cluster)


def _sent(slug: str) -> Report:
    due = timezone.localdate() - datetime.timedelta(days=3)
    deliverable = DeliverableFactory(slug=slug, due_date=due)
    return committed(lambda: services.report_send(deliverable=deliverable, introduction="Hi"))


def test_schedule_shows_due_dates_days_left_states_and_the_archive(client, today):
    DeliverableFactory(
        slug="update-1", title="First update", due_date=today - datetime.timedelta(days=4)
    )
    DeliverableFactory(
        slug="update-2", title="Second update", due_date=today + datetime.timedelta(days=9)
    )
    draft = DeliverableFactory(
        slug="update-3", title="Third update", due_date=today + datetime.timedelta(days=1)
    )
    services.report_draft_save(deliverable=draft, introduction="draft")
    _sent("initial-output")
    page = client.get("/reports/").content.decode()
    assert "4 days overdue" in page and "Late" in page
    assert "9 days left" in page and "Upcoming" in page
    assert "1 day left" in page and "Draft" in page
    archive = page.split('id="archive"')[1]
    assert "Update report initial-output" in archive
    assert "Preview and send" not in page  # anonymous visitors cannot send
    detail = client.get("/reports/update-1/").content.decode()
    assert "(4 days overdue)." in detail


def test_late_is_read_from_the_date_never_stored(today):
    deliverable = DeliverableFactory(due_date=today - datetime.timedelta(days=1))
    assert deliverable.schedule_state(today) == "late"
    assert deliverable.state == Deliverable.State.UPCOMING
    assert deliverable.schedule_state(today - datetime.timedelta(days=2)) == "upcoming"


@pytest.mark.parametrize(
    ("persona", "status"), [("client", 302), ("observer_client", 403), ("member_client", 403)]
)
def test_only_coordinators_compose_and_see_the_dashboard(request, persona, status):
    client = request.getfixturevalue(persona)
    DeliverableFactory(slug="update-1")
    assert client.get("/reports/update-1/compose/").status_code == status
    assert client.get("/reports/dashboard/").status_code == status
    assert compose_view.minimum_role == Role.COORDINATOR
    assert dashboard.minimum_role == Role.COORDINATOR


def test_coordinator_previews_the_message_the_chair_will_receive(coordinator_client):
    ParticipantFactory(name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org")
    IssueFactory(title="Cybercrime")
    DeliverableFactory(slug="update-1", title="First update report")
    response = coordinator_client.post(
        "/reports/update-1/compose/",
        {"introduction": "The group met by e-mail.", "action": "preview"},
    )
    page = response.content.decode()
    assert "[WGEC] First update report" in page
    assert "Peter Major &lt;chair@example.org&gt; (the Chair)" in page
    assert "The group met by e-mail." in page  # in the preview, not only in the text box
    assert "Dear Chair," in page
    assert Report.objects.count() == 0  # a preview writes nothing


def test_with_a_mailbox_read_the_preview_of_a_report_not_yet_written_says_replies_are_read(
    coordinator_client, settings
):
    # Its reply addresses are made when it is written: the preview has none, but says, as the
    # message will, that a reply is read.
    settings.INBOUND_ADDRESS = "wgec@example.org"
    ParticipantFactory(name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org")
    deliverable = DeliverableFactory(slug="update-1", title="First update report")
    response = coordinator_client.post(
        "/reports/update-1/compose/", {"introduction": "Met.", "action": "preview"}
    )
    assert response.status_code == 200
    assert "To answer the report, reply to this message" in response.content.decode()
    preview = report_message_preview(deliverable=deliverable)
    assert not preview.message.reply_to
    assert "To answer the report, reply to this message" in preview.message.body
    assert Report.objects.count() == 0


def _read(client, slug: str = "update-1") -> dict:
    """The compose form as the page gives it (with the version of the draft it was read at)."""
    return form_data(client.get(f"/reports/{slug}/compose/").context["form"])


def test_a_draft_saved_by_someone_else_since_the_page_was_read_is_not_overwritten(
    coordinator_client, chair_client, today
):
    deliverable = DeliverableFactory(slug="update-1")
    mine = {**_read(coordinator_client), "introduction": "Mine.", "action": "save"}
    theirs = {**_read(chair_client), "issued_on": str(today - datetime.timedelta(days=2))}
    chair_client.post("/reports/update-1/compose/", {**theirs, "action": "save"})

    refused = coordinator_client.post("/reports/update-1/compose/", mine)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "was changed since you opened this form" in page
    assert "you read “(nothing: it was not yet saved)”" in page
    assert f"now “{today - datetime.timedelta(days=2):%-d %B %Y}”" in page
    deliverable.refresh_from_db()
    assert deliverable.report.issued_on == today - datetime.timedelta(days=2)
    assert deliverable.report.introduction == ""
    assert "Mine.</textarea>" in page


def test_coordinator_saves_a_draft_introduction(coordinator_client):
    deliverable = DeliverableFactory(slug="update-1")
    coordinator_client.post(
        "/reports/update-1/compose/",
        {**_read(coordinator_client), "introduction": "Draft text", "action": "save"},
    )
    deliverable.refresh_from_db()
    assert deliverable.state == Deliverable.State.DRAFT
    assert deliverable.report.introduction == "Draft text"
    page = coordinator_client.get("/reports/update-1/compose/").content.decode()
    assert "Draft text" in page


def test_coordinator_sends_what_was_previewed_and_sees_the_progress(
    coordinator_client, client, django_capture_on_commit_callbacks
):
    ParticipantFactory(role=Participant.Role.CHAIR, email="chair@example.org")
    deliverable = DeliverableFactory(slug="update-1", title="First update report")
    preview = report_compose(now=timezone.now(), deliverable=deliverable, introduction="Ready.")
    read = _read(coordinator_client)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/reports/update-1/compose/",
            {
                **read,
                "introduction": "Ready.",
                "fingerprint": preview.fingerprint,
                "action": "send",
            },
        )
    assert response.status_code == 302
    page = coordinator_client.get("/reports/update-1/").content.decode()
    sent = Delivery.objects.filter(state="sent").count()
    assert sent == Delivery.objects.count() == Participant.objects.exclude(email="").count()
    assert f'id="count-sent">{sent}<' in page
    assert "Ready." in page
    public = client.get("/reports/update-1/").content.decode()
    assert "Ready." in public and "count-sent" not in public
    assert coordinator_client.get("/reports/update-1/compose/").status_code == 302


def test_a_stale_preview_is_refused_with_a_clear_message(coordinator_client):
    deliverable = DeliverableFactory(slug="update-1")
    preview = report_compose(now=timezone.now(), deliverable=deliverable, introduction="Ready.")
    read = _read(coordinator_client)
    IssueFactory(title="Arrived meanwhile")
    response = coordinator_client.post(
        "/reports/update-1/compose/",
        {**read, "introduction": "Ready.", "fingerprint": preview.fingerprint, "action": "send"},
    )
    assert response.status_code == 200
    assert "The map changed since your preview" in response.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.state != Deliverable.State.SENT


def test_report_page_lists_failures_and_attention_for_coordinators(coordinator_client):
    report = _sent("update-1")
    Delivery.objects.create(report=report, email="lost@example.org", state="attention", attempts=1,
                            last_error="connection lost")  # fmt: skip
    page = coordinator_client.get("/reports/update-1/").content.decode()
    assert "lost@example.org" in page and "need attention" in page
    assert "Resend deliberately" in page


def test_dashboard_shows_what_is_due_and_what_is_open(coordinator_client, today):
    DeliverableFactory(
        slug="update-1", title="First update", due_date=today + datetime.timedelta(days=5)
    )
    covered = IssueFactory(title="Covered issue")
    CoverageFactory(issue=covered)
    IssueFactory(title="Lonely issue")
    ConsensusItemFactory(issue=IssueFactory(title="Disputed issue"), summary="Whether to keep it")
    ConsensusItemFactory(
        issue=IssueFactory(title="Already referred"),
        state=ConsensusItem.State.REFERRED,
        referred_on=today,
    )
    ProposalFactory(coverage__issue__title="Spam filters")
    ProposalFactory(coverage__issue__title="Reviewed already", state="declined", reason="No.")
    page = coordinator_client.get("/reports/dashboard/").content.decode()
    assert "First update" in page and "5 days left" in page
    open_section = page.split('id="open"')[1].split('id="exports"')[0]
    assert "Lonely issue" in open_section
    assert "Covered issue" not in open_section
    assert "Whether to keep it" in open_section
    assert "Already referred" not in page.split('id="not-referred"')[1].split('id="exports"')[0]
    proposals = page.split('id="proposals"')[1].split('id="exports"')[0]
    assert "Proposals not yet reviewed (1)" in page
    assert "Spam filters" in proposals
    assert "Reviewed already" not in proposals


# Query budgets: the same number of queries for a small and a larger map.


@pytest.mark.parametrize("size", [2, 25])
def test_schedule_query_budget(client, settings, django_assert_max_num_queries, size):
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built (its cached hit: 2 queries)
    _grow(size, "q")
    for n in range(size // 5 + 1):
        _sent(f"update-{n}")
    with django_assert_max_num_queries(4):
        assert client.get("/reports/").status_code == 200


def test_the_schedule_and_a_report_page_read_no_frozen_data_they_do_not_show(client):
    _grow(3, "q")
    _sent("update-1")
    for url, shown in (("/reports/", ()), ("/reports/update-1/", ("body_html",))):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        sql = " ".join(query["sql"] for query in queries)
        for name in ("content", "body_text", "body_html", "email_templates", "introduction"):
            assert (f'"reports_report"."{name}"' in sql) == (name in shown), (url, name)
    assert '<article class="report">' in response.content.decode()


@pytest.mark.parametrize("size", [2, 25])
def test_report_page_query_budget(coordinator_client, django_assert_max_num_queries, size):
    _grow(size, "q")
    report = _sent("update-1")
    Delivery.objects.bulk_create(
        [Delivery(report=report, email=f"s{n}@example.org", state="failed") for n in range(size)]
    )
    with django_assert_max_num_queries(10):
        assert coordinator_client.get("/reports/update-1/").status_code == 200


@pytest.mark.parametrize("size", [2, 25])
def test_compose_page_query_budget(coordinator_client, django_assert_max_num_queries, size):
    _grow(size, "q")
    DeliverableFactory(slug="update-1")
    with django_assert_max_num_queries(40):
        assert coordinator_client.get("/reports/update-1/compose/").status_code == 200


@pytest.mark.parametrize("size", [2, 25])
def test_dashboard_query_budget(coordinator_client, django_assert_max_num_queries, size):
    _grow(size, "q")
    report = _sent("update-1")
    DeliverableFactory(slug="update-2")
    for i in range(size):
        # Every kind of row the page lists: items on a coverage status, proposals of each kind,
        # deliveries in trouble, documents prepared.
        ConsensusItemFactory(issue=None, coverage=CoverageFactory(), summary=f"status {i}")
        ProposalFactory(
            kind="mechanism", coverage=None, issue=IssueFactory(), mechanism=MechanismFactory()
        )
        ProposalFactory(kind="gap", coverage=None, issue=IssueFactory(), gap_type="policy")
        ProposalFactory(kind="issue", coverage=None, issue=None, title=f"New {i}")
        Delivery.objects.create(report=report, email=f"s{i}@example.org", state="failed")
        DocumentExportFactory(state=("done", "failed")[i % 2], deliverable__slug="initial")
    # The session, the user, their participant; the schedule, the three lists with their counts,
    # the documents prepared, the deliveries in trouble, the documents the form offers.
    with django_assert_max_num_queries(10):
        page = coordinator_client.get("/reports/dashboard/").content.decode()
    assert f"Proposals not yet reviewed ({4 * size})" in page
    assert f"Items without consensus, not yet referred ({2 * size})" in page


def test_dashboard_counts_every_row_of_a_list_and_shows_the_first(coordinator_client, monkeypatch):
    monkeypatch.setattr("reports.views.DASHBOARD_LIST_LIMIT", 2)
    cluster = ClusterFactory()
    for n in (3, 1, 2):
        IssueFactory(title=f"Lonely {n}", cluster=cluster)
        ConsensusItemFactory(issue=CoverageFactory().issue, summary=f"Disputed {n}")
        ProposalFactory(kind="issue", coverage=None, issue=None, title=f"Proposed {n}")
    page = coordinator_client.get("/reports/dashboard/").content.decode()
    for heading in (
        "Issues with no mechanism (3)",
        "Items without consensus, not yet referred (3)",
        "Proposals not yet reviewed (3)",
    ):
        assert heading in page
    assert page.count("The first 2 are shown") == 3
    assert "Lonely 1" in page and "Lonely 2" in page and "Lonely 3" not in page  # by title
    assert "Disputed 3" in page and "Disputed 1" in page and "Disputed 2" not in page  # oldest
    assert "Proposed 3" in page and "Proposed 1" in page and "Proposed 2" not in page
