"""The demo replays the 2013-14 exercise as it happened: every deliverable sent on its date, each
report telling its own period, documents showing the map as of their date of issue, histories
dated in 2013-14, and no invented words under a real name."""

import datetime
import io
import re

import docx
import pytest
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from openpyxl import load_workbook

from consensus.models import ConsensusItem, Decision, OptionSupport, Proposal
from issues.models import Answer, Comment, Issue, IssueSource, Question, Respondent
from mechanisms.models import Coverage, Gap
from project.demo import demo_load
from reports.final import document_issue, final_document_build
from reports.formats import final_document_bytes
from reports.models import Deliverable, DocumentExport, Report
from wgec.countries import UN_SHORT_NAMES
from wgec.models import Contribution, Participant

pytestmark = pytest.mark.django_db

MONTHS = [datetime.date(2014, month, 1).strftime("%B") for month in range(1, 13)]
DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")


@pytest.fixture(scope="module")
def _replayed(django_db_setup, django_db_blocker):
    """The demo replayed once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def exercise(_replayed, db):
    return None


def _dates_in(text: str) -> list[datetime.date]:
    return [
        datetime.date(int(year), MONTHS.index(month) + 1, int(day))
        for day, month, year in DATE.findall(text)
    ]


def test_every_deliverable_is_sent_on_its_date_and_on_time(exercise, client):
    deliverables = list(Deliverable.objects.with_report().order_by("due_date"))
    assert len(deliverables) == 5
    for deliverable in deliverables:
        assert deliverable.state == Deliverable.State.SENT
        assert deliverable.sent_on <= deliverable.due_date
        assert deliverable.report.issued_on == deliverable.sent_on
        assert deliverable.report.illustrative
        counts = deliverable.report.delivery_counts()
        assert counts["sent"] == counts["total"] > 50
        assert {
            timezone.localdate(moment)
            for moment in deliverable.report.deliveries.values_list("sent_at", flat=True)
        } == {deliverable.sent_on}
    page = client.get(reverse("reports:schedule")).content.decode()
    assert page.count('<span class="badge ok">Sent</span> on ') == 5
    assert "Sent</span> on 29 November 2013" in page
    assert "overdue" not in page and "late" not in page.replace("Late", "")


def test_the_three_update_reports_differ_each_telling_its_own_period(exercise):
    reports = list(Report.objects.filter(deliverable__kind="update_report").order_by("composed_at"))
    assert len(reports) == 3
    bodies = [report.body_text for report in reports]
    assert len(set(bodies)) == 3
    first, second, third = (report.content["changes"] for report in reports)
    assert first["issues_merged"]["count"] > 90  # the spreadsheet reduced at the meeting
    assert second["issues_merged"]["count"] < first["issues_merged"]["count"]
    assert second["issues_withdrawn"]["count"] == 1
    assert third["referrals"]["count"] == 2 and second["referrals"]["count"] == 0
    assert reports[0].since is None
    assert reports[1].since == reports[0].composed_at
    assert "Dated 29 November 2013" in bodies[0] and "Dated 6 January 2014" in bodies[1]


def test_the_initial_output_differs_from_the_final_document_by_what_happened_between(exercise):
    initial = final_document_build(
        issue=document_issue(Deliverable.objects.get(slug="initial-output"), now=timezone.now())
    )
    final = final_document_build(
        issue=document_issue(Deliverable.objects.get(slug="final-document"), now=timezone.now())
    )
    assert initial.date == datetime.date(2014, 1, 7) and final.date == datetime.date(2014, 2, 12)
    assert initial.symbol == "WGEC/CG/2014/1" and final.symbol == "WGEC/CG/2014/2"
    assert initial.referred == [] and len(final.referred) == 2

    def statuses(doc):
        return {
            (issue.title, entry.mechanism): entry.status
            for cluster in doc.clusters
            for issue in cluster.issues
            for entry in issue.coverage
        }

    assert statuses(initial) != statuses(final)
    assert len(statuses(initial)) < len(statuses(final))


def test_nothing_in_an_issued_document_is_dated_after_its_date_of_issue(exercise):
    for slug in ("initial-output", "final-document"):
        deliverable = Deliverable.objects.get(slug=slug)
        issued = deliverable.report.issued_on
        document = docx.Document(
            io.BytesIO(
                final_document_bytes(
                    issue=document_issue(deliverable, now=timezone.now()), format="docx"
                )
            )
        )
        # The masthead names the meeting the document is for, which comes after its issue.
        masthead = "\n".join(deliverable.masthead)
        assert masthead.endswith("Geneva, 24-28 February 2014")
        text = "\n".join(p.text for p in document.paragraphs if p.text != masthead)
        text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        dates = _dates_in(text)
        assert dates and max(dates) <= issued, slug
        assert "Decided" not in text  # the decision came at the third meeting, after both
        assert "Illustrative" in text


def test_the_decision_of_the_third_meeting_comes_after_the_final_document(exercise):
    decision = Decision.objects.get()
    assert decision.illustrative
    assert decision.decided_on > Deliverable.objects.get(slug="final-document").sent_on
    assert decision.meeting.number == 3


def test_histories_are_dated_in_2013_and_2014(exercise):
    for model in (Issue, IssueSource, Coverage, Gap, ConsensusItem, Proposal, Respondent, Answer):
        span = model.history.aggregate(first=Min("history_date"), last=Max("history_date"))
        assert span["first"].year == 2013, model
        assert timezone.localdate(span["last"]) <= datetime.date(2014, 3, 31), model
    submitted = Respondent.objects.aggregate(last=Max("submitted_at"))["last"]
    assert timezone.localdate(submitted) <= datetime.date(2013, 9, 17)
    assert Respondent.objects.count() == 69


def test_a_raw_wording_is_merged_into_its_issue_with_its_source(exercise, client):
    merged = Issue.objects.filter(state="merged")
    assert merged.count() > 100
    survivor = Issue.objects.get(title="Communications infrastructure")
    assert survivor.sources.count() >= 3
    page = client.get(survivor.get_absolute_url()).content.decode()
    assert "November 2013" in page
    # No date of the machine's year (the page's version tokens are digits too: a word only).
    assert not re.search(rf"\b{timezone.localdate().year}\b", page)
    assert "the dates of these changes, and who made them, are illustrative" in page


def _real_names() -> list[str]:
    names = set()
    for name in countries:
        names.add(name.name)
    names.update(UN_SHORT_NAMES.values())
    names.update(["Russia", "United States", "United Kingdom", "Korea", "Iran", "Brazil"])
    for person in Participant.objects.filter(illustrative=False):
        names.add(person.name)
        if person.organisation and len(person.organisation) > 5:
            names.add(person.organisation)
    return sorted(name for name in names if name)


def test_no_illustrative_respondent_or_participant_carries_a_real_name(exercise):
    real = [name.casefold() for name in _real_names()]
    invented = [
        (respondent.name, respondent.organisation)
        for respondent in Respondent.objects.filter(illustrative=True)
    ] + [
        (person.name, person.organisation)
        for person in Participant.objects.filter(illustrative=True)
    ]
    assert len(invented) == 69 + 13
    assert not Respondent.objects.filter(illustrative=False).exists()
    for name, organisation in invented:
        for text in (name, organisation):
            found = [word for word in real if re.search(rf"\b{re.escape(word)}\b", text.casefold())]
            assert not found, f"{text!r} names {found}"
    # A government whose country is recorded is never cited: only counted.
    assert (
        not Respondent.objects.filter(stakeholder_group__slug="governments", consent_to_cite=True)
        .exclude(country="")
        .exists()
    )


def test_invented_words_stand_only_under_fictional_names(exercise):
    for model in (Comment, Proposal, OptionSupport):
        authors = {
            getattr(row, "author", None) or getattr(row, "proposer", None) or row.participant
            for row in model.objects.all()
        }
        assert authors and all(person.illustrative for person in authors), model
    assert not ConsensusItem.objects.filter(illustrative=False).exists()
    assert not Contribution.objects.filter(illustrative=False).exists()
    for contribution in Contribution.objects.exclude(author__illustrative=True):
        assert contribution.text.startswith("*From the record*")


def test_every_page_that_shows_an_illustrative_answer_marks_it(exercise, client):
    urls = [question.get_absolute_url() for question in Question.objects.all()]
    urls += [respondent.get_absolute_url() for respondent in Respondent.objects.public()]
    urls += [reverse("issues:theme-detail", args=[letter]) for letter in "abcde"]
    urls += [
        issue.get_absolute_url()
        for issue in Issue.objects.on_map().filter(
            sources__answer__respondent__consent_to_cite=True
        )
    ]
    texts = list(Answer.objects.public().values_list("text", flat=True))
    excerpts = list(
        IssueSource.objects.filter(answer__respondent__consent_to_cite=True).values_list(
            "excerpt", flat=True
        )
    )
    shown = 0
    for url in sorted(set(urls)):
        page = client.get(url).content.decode()
        if any(text[:60] in page for text in texts) or any(f">{e}<" in page for e in excerpts):
            shown += 1
            assert "Illustrative text" in page, url
    assert shown > 40


def test_compilations_mark_illustrative_answers_and_reconstructed_questions(exercise, client):
    response = client.get(reverse("issues:question-export", args=["docx"]))
    document = docx.Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Illustrative text" in text
    assert "reconstructed wording" in text
    assert (
        "Q4. What are the relevant international public policy issues pertaining to the Internet?\n"
        in text + "\n"
    )
    response = client.get(reverse("issues:respondent-export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Respondents"].iter_rows(values_only=True))
    column = rows[0].index("Illustrative")
    assert {row[column] for row in rows[1:]} == {"Illustrative text"}


def test_the_issued_documents_are_frozen_with_their_report(exercise):
    for slug in ("initial-output", "final-document"):
        exports = DocumentExport.objects.filter(deliverable__slug=slug, frozen=True)
        assert sorted(exports.values_list("format", flat=True)) == ["csv", "docx", "pdf", "xlsx"]


def test_each_update_report_tells_the_chair_progress_open_items_and_what_comes_next(exercise):
    reports = {
        report.deliverable.slug: report
        for report in Report.objects.filter(deliverable__kind="update_report")
    }
    for report in reports.values():
        text = report.body_text
        for section in (
            "PROGRESS AGAINST THE TERMS OF REFERENCE",
            "WHAT CHANGED",
            "ITEMS WITHOUT CONSENSUS",
            "PROPOSALS AWAITING REVIEW",
            "NEXT DEADLINES",
        ):
            assert section in text, (report.deliverable.slug, section)
        # The invented introduction says so, and the real coordinators' names do not sign it.
        assert "(Illustrative text.)" in text
        assert (
            "Mr. Phil Rushton and Ms. Joy Liddicoat\nCoordinators of the correspondence group "
            "(the demonstration's replay composed and sent this report; its words are not theirs)"
        ) in text
        assert "Dear" not in text and len(text) < 8000
        assert f"/reports/{report.deliverable.slug}/changes/" in text
    third = reports["update-3"]
    assert (third.content["open_items"]["count"], third.content["open_items"]["referred"]) == (
        3,
        2,
    )
    assert "Option A: [Net neutrality lacks a global forum" in third.body_text
    assert (
        "  - 12 February 2014: Final document of the correspondence group for consideration by "
        "the WGEC: the map as the correspondence group submits it to the working group\n"
        "  - 24 to 28 February 2014: Third meeting of the working group:"
    ) in third.body_text
    first = reports["update-1"]
    total = first.content["progress"]["total"]
    assert total["issues"] == first.content["totals"]["issues_on_map"]
    assert "  - 6 January 2014: Second update report to the WGEC Chair:" in first.body_text
