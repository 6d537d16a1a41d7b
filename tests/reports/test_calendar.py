"""The exercise's calendar: a report is dated by its date of issue and shows the map as it stood
then; documents are symbolled from the secretariat's pattern; a sent deliverable says when."""

import datetime
import io

import docx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from consensus.services.items import decision_record, item_create, item_refer, option_save
from issues.models import Issue
from mechanisms.services import coverage_set, gap_set
from reports import services
from reports.models import Report, SymbolPattern
from tests.factories import (
    ClusterFactory,
    DeliverableFactory,
    IssueFactory,
    MechanismFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12) -> datetime.datetime:
    """A moment of the exercise, in its time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date(year, month, day), datetime.time(hour))
    )


@pytest.fixture
def exercise(db):
    """A map built in November 2013, a final document sent on 12 February 2014, and what came
    after it: an issue added on 20 February and the working group's decision of 26 February."""
    final = DeliverableFactory(
        slug="final-document",
        kind="final_document",
        title="Final document",
        due_date=datetime.date(2014, 2, 12),
    )
    third = MeetingFactory(
        number=3, start_date=datetime.date(2014, 2, 24), end_date=datetime.date(2014, 2, 28)
    )
    with time_machine.travel(at(2013, 11, 20), tick=True):
        security = ClusterFactory(slug="security", name="Security")
        cyber = IssueFactory(title="Cybercrime", cluster=security)
        coe = MechanismFactory(name="Council of Europe", acronym="CoE")
        coverage_set(issue=cyber, mechanism=coe, status="unknown")
    with time_machine.travel(at(2014, 1, 20), tick=True):
        coverage_set(issue=cyber, mechanism=coe, status="partly", evidence="Budapest Convention")
        gap_set(issue=cyber, type="capacity", description="Few experts.")
        item = item_create(issue=cyber, summary="Whether it is a crime at all.")
        option_a = option_save(item=item, text="[Yes.]")
        option_save(item=item, text="[No.]")
        item_refer(item=item, referred_on=datetime.date(2014, 1, 28))
    with time_machine.travel(at(2014, 2, 12, 16), tick=True):
        services.report_send(
            deliverable=final, introduction="", issued_on=datetime.date(2014, 2, 12)
        )
    with time_machine.travel(at(2014, 2, 20), tick=True):
        IssueFactory(title="Added after the final document", cluster=security)
        coverage_set(issue=cyber, mechanism=coe, status="addressing")
    with time_machine.travel(at(2014, 2, 26), tick=True):
        decision_record(
            item=item, meeting=third, decided_on=datetime.date(2014, 2, 26), option=option_a
        )
    return final


def _export(tmp_path, *args) -> tuple[list[str], str]:
    path = tmp_path / "document.docx"
    out = io.StringIO()
    call_command("export_final_document", "-o", str(path), *args, stdout=out)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return texts, out.getvalue()


def test_an_issued_document_shows_nothing_dated_after_its_date_of_issue(tmp_path, exercise):
    texts, out = _export(tmp_path)
    text = "\n".join(texts)
    assert "as issued on 12 February 2014" in out
    assert texts[0].splitlines()[-2:] == ["12 February 2014", "Original: English"]
    assert "Cybercrime" in text
    assert "Added after the final document" not in text
    assert "Partly addressing" in text and "Addressing" not in text.replace("Partly addr", "")
    assert "Referred to the working group on 28 January 2014." in text
    assert "Decided" not in text and "26 February 2014" not in text


def test_a_document_prepared_as_of_a_later_date_shows_what_happened_by_then(tmp_path, exercise):
    texts, out = _export(tmp_path, "--date", "2014-02-28")
    text = "\n".join(texts)
    assert "prepared as of 28 February 2014" in out
    assert "Added after the final document" in text
    assert "Decided at the meeting 3 on 26 February 2014: Option A" in text
    assert "Prepared from the map as it stood on 28 February 2014; not the issued document." in text


def test_a_document_prepared_as_of_an_earlier_date_leaves_out_what_came_later(tmp_path, exercise):
    texts, _ = _export(tmp_path, "--date", "2013-12-01")
    text = "\n".join(texts)
    assert "Unknown" in text and "Partly addressing" not in text
    assert "No item has been referred to the working group." in text
    assert "Capacity gap" not in text


def test_export_refuses_a_date_after_today_and_a_malformed_one(tmp_path, exercise):
    with pytest.raises(CommandError, match="is after today"):
        call_command("export_final_document", "-o", str(tmp_path / "f.csv"), "--date", "2999-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_final_document", "-o", str(tmp_path / "f.csv"), "--date", "12/02/2014")
    assert not (tmp_path / "f.csv").exists()


def test_an_unknown_deliverable_names_the_ones_there_are(tmp_path, exercise):
    with pytest.raises(CommandError, match="No deliverable “nope”. The deliverables are: final"):
        call_command(
            "export_final_document", "-o", str(tmp_path / "f.csv"), "--deliverable", "nope"
        )


def test_the_symbol_takes_the_year_of_the_date_of_issue_and_the_next_number():
    SymbolPattern.objects.create(pattern="E/CN.16/{year}/CRP.{number}")
    initial = DeliverableFactory(slug="initial-output", kind="initial_output")
    final = DeliverableFactory(slug="final-document", kind="final_document")
    update = DeliverableFactory(slug="update-1", kind="update_report")
    with time_machine.travel(at(2014, 1, 2), tick=True):
        first = services.report_send(
            deliverable=initial, introduction="", issued_on=datetime.date(2013, 12, 31)
        )
        unsymbolled = services.report_send(deliverable=update, introduction="")
    with time_machine.travel(at(2014, 2, 12), tick=True):
        second = services.report_send(deliverable=final, introduction="")
    assert first.symbol == "E/CN.16/2013/CRP.1"
    assert unsymbolled.symbol == ""
    assert second.symbol == "E/CN.16/2014/CRP.1"
    assert second.content["symbol"] == "E/CN.16/2014/CRP.1"


def test_a_symbol_pattern_with_an_unknown_field_is_refused():
    with pytest.raises(ValidationError, match=r"\{year\} and \{number\} only, not \{session\}"):
        SymbolPattern(pattern="E/CN.16/{session}/CRP.{number}").full_clean()
    SymbolPattern(pattern="").full_clean()  # unsymbolled working documents


def test_a_date_of_issue_after_today_or_before_the_previous_report_is_refused():
    first = DeliverableFactory(slug="update-1")
    second = DeliverableFactory(slug="update-2")
    with time_machine.travel(at(2013, 11, 29), tick=True):
        with pytest.raises(services.IssueDateError, match="is after today"):
            services.report_send(
                deliverable=first, introduction="", issued_on=datetime.date(2013, 11, 30)
            )
        services.report_send(deliverable=first, introduction="")
    with (
        time_machine.travel(at(2014, 1, 6), tick=True),
        pytest.raises(services.IssueDateError, match="before that of the previous report"),
    ):
        services.report_send(
            deliverable=second, introduction="", issued_on=datetime.date(2013, 11, 1)
        )
    assert Report.objects.sent().count() == 1


def test_update_reports_tell_their_own_periods():
    first = DeliverableFactory(slug="update-1", title="First update report")
    second = DeliverableFactory(slug="update-2", title="Second update report")
    with time_machine.travel(at(2013, 11, 20), tick=True):
        security = ClusterFactory(slug="security", name="Security")
        early = IssueFactory(title="Raised early", cluster=security)
    with time_machine.travel(at(2013, 12, 5), tick=True):
        # Sent on 5 December, dated 30 November: the change of 2 December is not in it.
        late = IssueFactory(title="Raised in December", cluster=security)
        mechanism = MechanismFactory(name="OECD")
        one = services.report_send(
            deliverable=first, introduction="", issued_on=datetime.date(2013, 11, 30)
        )
    with time_machine.travel(at(2014, 1, 6), tick=True):
        coverage_set(issue=early, mechanism=mechanism, status="partly")
        two = services.report_send(deliverable=second, introduction="")
    added_first = [row["title"] for row in one.content["changes"]["issues_added"]["items"]]
    added_second = [row["title"] for row in two.content["changes"]["issues_added"]["items"]]
    assert added_first == ["Raised early"]
    assert added_second == ["Raised in December"]
    assert one.content["totals"]["issues_on_map"] == 1
    assert two.content["totals"]["issues_on_map"] == 2
    assert two.content["changes"]["coverage_changes"]["count"] == 1
    assert two.since == one.composed_at
    assert timezone.localdate(one.composed_at) == datetime.date(2013, 11, 30)
    assert "Dated 30 November 2013" in one.body_text
    assert late.state == Issue.State.ON_MAP


def test_the_schedule_says_sent_on_and_how_late(client):
    late = DeliverableFactory(
        slug="update-1", title="First update report", due_date=datetime.date(2013, 11, 30)
    )
    on_time = DeliverableFactory(
        slug="update-2", title="Second update report", due_date=datetime.date(2014, 1, 6)
    )
    with time_machine.travel(at(2013, 12, 3), tick=True):
        services.report_send(deliverable=late, introduction="")
    with time_machine.travel(at(2014, 1, 6), tick=True):
        services.report_send(deliverable=on_time, introduction="")
    page = client.get("/reports/").content.decode()
    assert "Sent</span> on 3 December 2013 (3 days late)" in page
    assert "Sent</span> on 6 January 2014\n</td>" in page
    assert "overdue" not in page
    detail = client.get("/reports/update-1/").content.decode()
    assert "sent to the Chair and the mailing list on 3 December 2013, 3 days after" in detail


def test_a_document_never_issued_is_dated_by_the_maps_last_change_not_the_machines_clock(
    tmp_path, exercise
):
    # Prepared years later (the clock reads the machine's day): the exercise's own date.
    DeliverableFactory(
        slug="initial-output",
        kind="initial_output",
        title="Initial output",
        due_date=datetime.date(2014, 1, 31),
    )
    texts, out = _export(tmp_path, "--deliverable", "initial-output")
    text = "\n".join(texts)
    assert "prepared as of 26 February 2014" in out
    assert "Prepared from the map as it stood on 26 February 2014; not the issued document." in text
    assert str(timezone.localdate().year) not in out
    # The map as it stands: what came last is in it.
    assert "Added after the final document" in text
    assert "Decided at the meeting 3 on 26 February 2014: Option A" in text
