"""The demo data of the 2013-14 exercise loads completely, once, and refreshes without change."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from consensus.models import ConsensusItem
from issues.models import Answer, Issue, IssueSource, Question, Respondent
from mechanisms.models import Coverage, Gap, Mechanism
from project.demo import FIXTURES_DIR, DemoDataError, demo_load
from reports.models import Deliverable
from wgec.models import Attendance, Meeting, Participant, StakeholderGroup

pytestmark = pytest.mark.django_db


def _history_rows() -> int:
    models = [Participant, Respondent, Answer, Issue, IssueSource, Coverage, Gap, Mechanism]
    return sum(model.history.count() for model in models)


def test_demo_loads_the_exercise():
    demo_load()
    assert StakeholderGroup.objects.count() == 5
    assert list(Meeting.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert Meeting.objects.get(number=2).chair.name == "Peter Major"
    roles = dict(Participant.objects.values_list("role").annotate(n=Count("pk")))
    assert roles["chair"] == 1 and roles["coordinator"] == 2
    assert roles["observer"] >= 10 and roles["secretariat"] >= 5
    assert Participant.objects.count() >= 70
    remote = set(
        Attendance.objects.filter(meeting__number=2, remote=True).values_list(
            "participant__name", flat=True
        )
    )
    assert {"Joy Liddicoat", "Avri Doria", "Mirna González"} <= remote
    assert set(Participant.objects.filter(role="coordinator").values_list("name", flat=True)) == {
        "Phil Rushton",
        "Joy Liddicoat",
    }
    codes = list(Question.objects.values_list("code", flat=True))
    assert codes[:4] == ["Q2a", "Q2b", "Q2c", "Q3"] and codes[-1] == "Q17" and len(codes) == 18
    assert Respondent.objects.count() >= 20
    assert Respondent.objects.filter(consent_to_cite=False).count() >= 3
    assert Respondent.objects.exclude(language="en").count() >= 3
    assert not Respondent.objects.filter(illustrative=False).exists()
    assert Issue.objects.on_map().count() >= 40
    assert Issue.objects.on_map().values("cluster").distinct().count() == 7
    assert Issue.objects.filter(state="proposed").exists()
    assert Issue.objects.filter(state="merged", merged_into__state="on_map").exists()
    assert IssueSource.objects.count() >= 40
    assert Mechanism.objects.count() >= 30
    assert set(Coverage.objects.values_list("status", flat=True)) >= {
        "addressing",
        "partly",
        "not_addressing",
    }
    assert Gap.objects.values("type").distinct().count() == 6
    assert set(ConsensusItem.objects.values_list("state", flat=True)) == {
        "open",
        "referred",
        "decided",
    }
    assert dict(Deliverable.objects.values_list("slug", "due_date__month")) == {
        "update-1": 11,
        "update-2": 1,
        "initial-output": 1,
        "update-3": 1,
        "final-document": 2,
    }


def test_every_source_quotes_its_answer():
    demo_load()
    for source in IssueSource.objects.select_related("answer"):
        assert source.excerpt in source.answer.text


def test_second_load_changes_nothing_and_records_no_history():
    demo_load()
    before = _history_rows()
    result = demo_load()
    assert not result.changed
    assert _history_rows() == before


def test_load_demo_command_reports_what_it_did():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_a_misquoted_source_stops_the_load_and_writes_nothing(tmp_path):
    for path in FIXTURES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "map.toml"
    text = broken.read_text()
    first_excerpt = text.index('excerpt = "') + len('excerpt = "')
    broken.write_text(text[:first_excerpt] + "NOT IN THE ANSWER " + text[first_excerpt:])
    with pytest.raises(DemoDataError, match="is not in the answer of"):
        demo_load(directory=tmp_path)
    assert not Participant.objects.exists()
    assert not Issue.objects.exists()


def test_load_demo_command_fails_clearly_on_bad_data(monkeypatch, tmp_path):
    monkeypatch.setattr("project.demo.FIXTURES_DIR", tmp_path)
    monkeypatch.setattr(
        "project.management.commands.load_demo.demo_load",
        lambda: demo_load(directory=tmp_path),
    )
    with pytest.raises(CommandError, match="wgec.toml is missing"):
        call_command("load_demo")


def test_demo_has_the_correspondence_group_at_work():
    from consensus.models import Proposal
    from issues.models import Comment
    from wgec.models import Contribution

    demo_load()
    assert Proposal.objects.pending().count() >= 4
    assert set(Proposal.objects.values_list("kind", flat=True)) == {
        "issue",
        "mechanism",
        "coverage",
        "gap",
    }
    assert Comment.objects.filter(issue__title="Net neutrality").count() == 2
    framework = Contribution.objects.get(kind="framework")
    assert framework.author.name == "B.N. Reddy" and framework.meeting.number == 3
    third = Meeting.objects.get(number=3)
    assert Contribution.objects.for_meeting(third).filter(kind="recommendations").count() >= 2
    assert Contribution.objects.filter(state="submitted").exists()
    assert not Contribution.objects.filter(illustrative=False).exists()


def test_accepted_demo_proposals_stay_accepted_when_the_demo_is_loaded_again(coordinator_user):
    from consensus.models import Proposal
    from consensus.services.proposals import proposal_accept

    demo_load()
    proposal = Proposal.objects.pending().get(kind="coverage")
    proposal_accept(proposal=proposal, user=coordinator_user)
    coverage = proposal.coverage
    coverage.refresh_from_db()
    demo_load()  # the exercise is there: nothing is reloaded over what people did
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    assert Coverage.objects.get(pk=coverage.pk).status == proposal.status


def test_local_logins_give_every_role_once(tmp_path):
    from project.local_logins import local_logins_ensure
    from wgec.roles import Role, role_of

    demo_load()
    path = tmp_path / "logins"
    path.write_text("old-admin-password\n")  # the file of older checkouts
    first = local_logins_ensure(path=path)
    roles = {login.username: login for login in first}
    assert set(roles) == {"admin", "chair", "coordinator", "member", "observer"}
    assert roles["admin"].password == "old-admin-password"
    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.all()}
    assert role_of(users["chair"]) == Role.CHAIR
    assert role_of(users["coordinator"]) == Role.COORDINATOR
    assert role_of(users["member"]) == Role.MEMBER
    assert role_of(users["observer"]) == Role.OBSERVER
    assert role_of(users["admin"]) == Role.SECRETARIAT
    assert users["member"].participant.name == "Benedicto Fonseca"
    second = local_logins_ensure(path=path)
    assert [(login.username, login.password) for login in second] == [
        (login.username, login.password) for login in first
    ]
    assert not any(login.created for login in second)
