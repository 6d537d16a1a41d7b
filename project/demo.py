"""The demo data of the 2013-14 exercise, replayed from ``fixtures/*.toml`` as it happened.

The exercise is loaded as the sequence of dated events it was, through the services the app
itself uses (the responses import, merging, coverage and gaps, proposals, items and decisions,
sending reports), each run at its own moment so that the change history, the dates records keep
and the reports read the exercise's calendar, not the machine's: questionnaire responses from
July to 17 September 2013, the raw wordings of the second meeting's spreadsheet (6-8 November
2013) merged down, coverage, statuses and gaps from November 2013 to February 2014, referrals in
late January, each update report, the initial output and the final document sent on its date,
and the working group's decisions at its third meeting (24-28 February 2014).

The clock is moved with time-machine, and only here: django-simple-history stamps each change
with ``timezone.now()``, ``auto_now`` fields read the same clock, and so do the services that
record when something was reviewed, sent or delivered; moving the clock for each event keeps all
of them consistent with one another without a parameter for "when" in every service. Events run
in order of their moments, each on a clock that starts no earlier than the end of the previous
one, so that the history of every record is in the order it was written.

The demo loads into an empty exercise, all of it or nothing. Loading again changes nothing: an
exercise that holds data is left as people have changed it. Records refer to each other by
natural keys (a slug, a code, a name, a title); a reference the files cannot resolve is an
error naming the file and the record.
"""

import datetime
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from consensus.models import ConsensusItem, Decision, Option, OptionSupport, Proposal
from consensus.services.items import (
    decision_record,
    item_create,
    item_refer,
    option_save,
    option_support_state,
)
from consensus.services.proposals import proposal_accept, proposal_decline, proposal_submit
from issues.models import (
    Answer,
    Cluster,
    Comment,
    Cosigner,
    Issue,
    IssueSource,
    Question,
    Respondent,
    Theme,
)
from issues.responses.plan import ILLUSTRATIVE, LANGUAGE, RESPONDENT_COLUMNS
from issues.services.comments import comment_post
from issues.services.issue_list import issue_merge
from issues.services.responses import responses_import
from mechanisms.models import Coverage, Gap, Mechanism
from mechanisms.services import coverage_set, gap_set, mechanism_create
from reports.models import Deliverable, Delivery, Report, SymbolPattern
from reports.services import (
    Sent,
    deliveries_claim,
    deliveries_sent,
    deliveries_start,
    report_send,
)
from wgec.documents.spreadsheets import Row, Sheet, normalise_header
from wgec.models import (
    Attendance,
    Contribution,
    Meeting,
    MeetingDocument,
    Participant,
    StakeholderGroup,
    SummaryParagraph,
    TermsOfReference,
    TermsParagraph,
)
from wgec.services import contribution_publish, contribution_submit
from wgec.translated import with_translations

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# What the load reports, in this order.
COUNTED = [
    StakeholderGroup,
    Participant,
    Meeting,
    Attendance,
    SummaryParagraph,
    TermsOfReference,
    Theme,
    Question,
    Respondent,
    Answer,
    Cosigner,
    Cluster,
    Issue,
    IssueSource,
    Mechanism,
    Coverage,
    Gap,
    ConsensusItem,
    Option,
    OptionSupport,
    Decision,
    Proposal,
    Comment,
    Contribution,
    Deliverable,
    Report,
    Delivery,
]


class DemoDataError(Exception):
    """The demo files contradict themselves (an unknown reference, a misquoted excerpt)."""


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    already_present: bool = False
    events: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()))

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in self.created.items() if count]


@dataclass
class _Event:
    moment: datetime.datetime
    order: int
    label: str
    run: Callable[[], None]


def _lookup[T](table: dict[str, T], key: str, what: str, where: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise DemoDataError(f"{where}: unknown {what} {key!r}.") from None


def _moment(value: Any, where: str) -> datetime.datetime:
    """A TOML date-time (with its offset) or date (at noon in the exercise's time zone)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise DemoDataError(f"{where}: {value} needs its time zone offset.")
        return value
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))
    raise DemoDataError(f"{where}: {value!r} is not a date.")


def _save(instance: models.Model, reason: str = "") -> None:
    """Save as the admin would (the secretariat, with a reason in the change history). The
    database's constraints and triggers keep the rules; the files were checked when written."""
    instance._change_reason = reason or None
    instance.save()


class _Replay:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.events: list[_Event] = []
        self.groups: dict[str, StakeholderGroup] = {}
        self.people: dict[str, Participant] = {}
        self.meetings: dict[int, Meeting] = {}
        self.questions: dict[str, Question] = {}
        self.answers: dict[tuple[str, str], Answer] = {}
        self.clusters: dict[str, Cluster] = {}
        self.mechanism_rows: dict[str, dict] = {}
        self.mechanisms: dict[str, Mechanism] = {}
        self.issues: dict[str, Issue] = {}
        self.items: dict[str, ConsensusItem] = {}

    def read(self, name: str) -> dict[str, Any]:
        path = self.directory / name
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise DemoDataError(f"{path} is missing.") from None
        except tomllib.TOMLDecodeError as error:
            raise DemoDataError(f"{path}: {error}") from None

    def at(self, moment: Any, label: str, run: Callable[[], None]) -> None:
        self.events.append(_Event(_moment(moment, label), len(self.events), label, run))

    def run(self) -> int:
        """Run the events in the order of their moments, each on its own moving clock."""
        clock = None
        for event in sorted(self.events, key=lambda event: (event.moment, event.order)):
            start = event.moment
            if clock is not None and start <= clock:
                start = clock + datetime.timedelta(milliseconds=1)
            with time_machine.travel(start, tick=True):
                try:
                    event.run()
                except ValidationError as error:
                    raise DemoDataError(f"{event.label}: {'; '.join(error.messages)}") from None
                clock = timezone.now()
        return len(self.events)


@transaction.atomic
def demo_load(*, directory: Path = FIXTURES_DIR) -> LoadResult:
    """Replay the demo exercise into an empty database; all of it or, on any error, nothing.

    Once the exercise holds data, loading again changes nothing: what people did since (merged
    issues, accepted proposals, edits in the admin) is never overwritten or undone.
    """
    if Meeting.objects.exists() or Respondent.objects.exists() or Issue.objects.exists():
        return LoadResult(already_present=True)
    replay = _Replay(directory)
    group = replay.read("wgec.toml")
    questionnaire = replay.read("questionnaire.toml")
    issue_map = replay.read("map.toml")
    correspondence = replay.read("correspondence.toml")
    reports = replay.read("reports.toml")
    _plan_group(replay, group)
    _plan_questionnaire(replay, questionnaire)
    _plan_correspondents(replay, correspondence)
    _plan_map(replay, issue_map)
    _plan_correspondence(replay, correspondence)
    _plan_reports(replay, reports)
    events = replay.run()
    result = LoadResult(events=events)
    for model in COUNTED:
        result.created[str(model._meta.verbose_name_plural)] = model.objects.count()
    return result


# The working group ---------------------------------------------------------------------------

FIRST_MEETING = datetime.datetime(2013, 5, 30, 9, tzinfo=datetime.UTC)
SECOND_MEETING_ENDS = datetime.datetime(2013, 11, 8, 17, tzinfo=datetime.UTC)


def _plan_group(replay: _Replay, data: dict) -> None:
    def setup() -> None:
        for position, row in enumerate(data["stakeholder_groups"], start=1):
            # The groups may be there already (they are set up before any exercise).
            group = StakeholderGroup.objects.filter(slug=row["slug"]).first()
            if group is None:
                group = StakeholderGroup(slug=row["slug"], name=row["name"], position=position)
                _save(group)
            replay.groups[row["slug"]] = group
        for position, row in enumerate(data["participants"], start=1):
            where = f"wgec.toml, participant {row['name']!r}"
            role = row["role"]
            participant = Participant(
                name=row["name"],
                honorific=row.get("honorific", ""),
                title=row.get("title", ""),
                organisation=row.get("organisation", ""),
                country=row.get("country", ""),
                stakeholder_group=_lookup(replay.groups, row["group"], "group", where),
                # The coordinators volunteered at the second meeting (summary, paragraph 5).
                role=Participant.Role.MEMBER if role == Participant.Role.COORDINATOR else role,
                email=row.get("email", ""),
                correspondence_group=row.get("correspondence_group", False),
                position=position,
            )
            _save(participant)
            replay.people[row["name"]] = participant
        for row in data["meetings"]:
            if row["number"] <= 2:
                _meeting(replay, row)

    replay.at(FIRST_MEETING, "wgec.toml: the group and its first meetings", setup)
    for row in data["meetings"]:
        if row["number"] > 2:
            # The third meeting was set at the second; the additional one after the third.
            moment = SECOND_MEETING_ENDS if row["number"] == 3 else _moment(row["end"], "wgec")
            replay.at(
                moment + datetime.timedelta(hours=1),
                f"wgec.toml, meeting {row['number']}",
                lambda row=row: _meeting(replay, row),
            )
        if "terms_of_reference" in row or "summary_paragraphs" in row:
            replay.at(
                SECOND_MEETING_ENDS,
                f"wgec.toml, the records of meeting {row['number']}",
                lambda row=row: _meeting_records(replay, row, data),
            )

    def coordinators() -> None:
        for row in data["participants"]:
            if row["role"] == Participant.Role.COORDINATOR:
                person = replay.people[row["name"]]
                person.role = Participant.Role.COORDINATOR
                _save(person, "volunteered at the second meeting (Chair's summary, paragraph 5)")

    replay.at(SECOND_MEETING_ENDS, "wgec.toml: the coordinators", coordinators)


def _meeting(replay: _Replay, row: dict) -> None:
    where = f"wgec.toml, meeting {row['number']}"
    meeting = Meeting(
        number=row["number"],
        title=row["title"],
        start_date=row["start"],
        end_date=row["end"],
        venue=row["venue"],
        chair=_lookup(replay.people, row["chair"], "participant", where),
        remote_participation=row.get("remote_participation", True),
        summary=row.get("summary", ""),
    )
    _save(meeting)
    replay.meetings[row["number"]] = meeting


def _meeting_records(replay: _Replay, row: dict, data: dict) -> None:
    """The list of participants, the Chair's summary and the terms of reference of a meeting."""
    meeting = replay.meetings[row["number"]]
    for person in data["participants"]:
        for attended in person.get("attended", []):
            if attended["meeting"] == row["number"]:
                _save(
                    Attendance(
                        participant=replay.people[person["name"]],
                        meeting=meeting,
                        remote=attended.get("remote", False),
                    )
                )
    for position, paragraph in enumerate(row.get("summary_paragraphs", []), start=1):
        _save(SummaryParagraph(meeting=meeting, position=position, text=paragraph["text"].strip()))
    if row.get("summary_source"):
        _save(
            MeetingDocument(
                meeting=meeting,
                kind=MeetingDocument.Kind.CHAIRS_SUMMARY,
                title=f"Chairman's summary of the {meeting.title.lower()}",
                text=row["summary_source"],
                position=1,
            )
        )
    terms = row.get("terms_of_reference")
    if terms:
        record = TermsOfReference(
            meeting=meeting,
            title=terms["title"],
            agreed_on=terms["agreed_on"],
            closing=terms.get("closing", ""),
        )
        _save(record)
        for position, paragraph in enumerate(terms["paragraphs"], start=1):
            _save(
                TermsParagraph(
                    terms=record,
                    position=position,
                    label=paragraph.get("label", ""),
                    text=paragraph["text"],
                )
            )


# The questionnaire and its responses ----------------------------------------------------------

QUESTIONNAIRE_AGREED = datetime.datetime(2013, 5, 31, 15, tzinfo=datetime.UTC)


def _translations(row: dict, field: str) -> dict[str, str]:
    """The texts of a row in the other official languages (``name_fr`` ...), where it has them."""
    names = with_translations(field)[1:]
    return {name: row[name] for name in names if name in row}


def _plan_questionnaire(replay: _Replay, data: dict) -> None:
    def questionnaire() -> None:
        themes = {}
        for row in data["themes"]:
            themes[row["letter"]] = theme = Theme(
                letter=row["letter"],
                title=row["title"],
                description=row.get("description", ""),
                **_translations(row, "title"),
            )
            _save(theme)
        for row in data["questions"]:
            where = f"questionnaire.toml, question {row['code']}"
            replay.questions[row["code"]] = question = Question(
                code=row["code"],
                number=row["number"],
                part=row.get("part", ""),
                text=row["text"],
                theme=_lookup(themes, row["theme"], "theme", where),
                reconstructed=row.get("reconstructed", False),
            )
            _save(question)

    replay.at(QUESTIONNAIRE_AGREED, "questionnaire.toml: the questionnaire", questionnaire)
    # The secretariat imports each week's responses at the end of the week (the last one on the
    # day the questionnaire closed).
    weeks: dict[tuple[int, int], list[dict]] = {}
    for row in data["respondents"]:
        submitted = _moment(row["submitted"], f"questionnaire.toml, {row['name']!r}")
        weeks.setdefault(submitted.isocalendar()[:2], []).append(row)
    for rows in weeks.values():
        last = max(_moment(row["submitted"], "questionnaire.toml") for row in rows)
        replay.at(
            last + datetime.timedelta(hours=1),
            f"questionnaire.toml, the responses of the week of {last:%-d %B %Y}",
            lambda rows=rows: _import_responses(replay, rows),
        )


def _import_responses(replay: _Replay, rows: list[dict]) -> None:
    """Responses imported as the secretariat imports them (rows of the import format)."""
    codes = sorted({code for row in rows for code in row.get("answers", {})})
    for code in codes:
        _lookup(replay.questions, code, "question", "questionnaire.toml")
    headers = [*RESPONDENT_COLUMNS[1:], LANGUAGE, ILLUSTRATIVE, *codes]
    sheet = Sheet(
        name="Responses",
        headers=headers,
        rows=[
            Row(number=number, values=_response_values(replay, row))
            for number, row in enumerate(rows, start=2)
        ],
    )
    plan = responses_import(sheet=sheet)
    if plan.errors:
        raise DemoDataError(f"questionnaire.toml: {'; '.join(str(error) for error in plan.errors)}")
    for row, planned in zip(rows, plan.rows, strict=True):
        respondent = planned.respondent
        for position, name in enumerate(row.get("cosigners", []), start=1):
            _save(Cosigner(respondent=respondent, name=name, position=position))
        for answer in respondent.answers.select_related("question"):
            replay.answers[(row["name"], answer.question.code)] = answer


def _response_values(replay: _Replay, row: dict) -> dict:
    values = {
        "Submitted": row["submitted"],
        "Name": row["name"],
        "Organisation": row.get("organisation", ""),
        "Country": row.get("country", ""),
        "Stakeholder group": replay.groups[row["group"]].name,
        "Consent to cite": "Yes" if row["consent"] else "No",
        LANGUAGE: row.get("language", ""),
        ILLUSTRATIVE: "Yes" if row.get("illustrative") else "No",
        **{code: text.strip() for code, text in row["answers"].items()},
    }
    return {normalise_header(column): value for column, value in values.items()}


# The correspondence group's fictional members ------------------------------------------------


def _plan_correspondents(replay: _Replay, data: dict) -> None:
    for row in data.get("correspondents", []):

        def join(row=row) -> None:
            where = f"correspondence.toml, correspondent {row['name']!r}"
            person = Participant(
                name=row["name"],
                organisation=row.get("organisation", ""),
                country=row.get("country", ""),
                stakeholder_group=_lookup(replay.groups, row["group"], "group", where),
                role=Participant.Role.MEMBER,
                correspondence_group=True,
                illustrative=True,
                position=1000 + len(replay.people),
            )
            _save(person, "joined the correspondence group (a fictional participant)")
            replay.people[row["name"]] = person

        replay.at(row["joined"], f"correspondence.toml, {row['name']}", join)


# The map -------------------------------------------------------------------------------------


def _plan_map(replay: _Replay, data: dict) -> None:
    def clusters() -> None:
        for position, row in enumerate(data["clusters"], start=1):
            replay.clusters[row["slug"]] = cluster = Cluster(
                slug=row["slug"],
                name=row["name"],
                description=row.get("description", ""),
                position=position,
                **_translations(row, "name"),
            )
            _save(cluster)

    replay.at(
        datetime.datetime(2013, 11, 6, 12, tzinfo=datetime.UTC),
        "map.toml: the clusters",
        clusters,
    )
    for row in data["mechanisms"]:
        replay.mechanism_rows[row["name"]] = row
        if row.get("acronym"):
            replay.mechanism_rows[row["acronym"]] = row
    # The spreadsheet of the second meeting: its raw wordings, entered on the first afternoon.
    replay.at(
        datetime.datetime(2013, 11, 6, 14, tzinfo=datetime.UTC),
        "map.toml: the raw wordings of the spreadsheet of the second meeting",
        lambda: _raw_wordings(replay, data["issues"]),
    )
    for row in data["issues"]:
        where = f"map.toml, issue {row['title']!r}"
        replay.at(row["created"], where, lambda row=row, where=where: _issue(replay, row, where))
        merges: dict[datetime.datetime, list[dict]] = {}
        for raw in row.get("raw", []):
            label = f"{where}, raw wording {raw['excerpt']!r}"
            # The wordings merged on the same day are merged together.
            merged = _moment(raw["merged"], label)
            day = min((moment for moment in merges if moment.date() == merged.date()), default=None)
            merges.setdefault(day or merged, []).append(raw)
        for moment, raws in merges.items():
            replay.at(
                moment,
                f"{where}, merging its raw wordings",
                lambda row=row, raws=raws: issue_merge(
                    survivor=replay.issues[row["title"]],
                    duplicates=[
                        replay.issues[f"raw:{raw['respondent']}:{raw['excerpt']}"] for raw in raws
                    ],
                ),
            )
        if row.get("withdrawn"):
            replay.at(row["withdrawn"], where, lambda row=row: _withdraw(replay, row))
        for coverage in row.get("coverage", []):
            _plan_coverage(replay, row, coverage)
        for gap in row.get("gaps", []):
            _plan_gap(replay, row, gap)
    for row in data.get("consensus_items", []):
        _plan_item(replay, row)


def _issue(replay: _Replay, row: dict, where: str) -> None:
    issue = Issue(
        title=row["title"],
        cluster=_lookup(replay.clusters, row["cluster"], "cluster", where),
        description=row.get("description", "").strip(),
        state=Issue.State.ON_MAP,
        # Issues of the second meeting's spreadsheet need no further agreement.
        needs_agreement=False,
    )
    _save(issue, "an issue of the spreadsheet as reduced at the second meeting")
    replay.issues[row["title"]] = issue


def _raw_wordings(replay: _Replay, rows: list[dict]) -> None:
    """The raw wordings of the spreadsheet of 483 issues, each with the answer that raised it,
    entered in bulk as a spreadsheet is (the map workbook's import does the same)."""
    raws = []
    for row in rows:
        where = f"map.toml, issue {row['title']!r}"
        for raw in row.get("raw", []):
            key = (raw["respondent"], raw["question"])
            answer = _lookup(replay.answers, key, "answer", where)  # type: ignore[arg-type]
            if raw["excerpt"] not in answer.text:
                raise DemoDataError(
                    f"{where}: the excerpt {raw['excerpt']!r} is not in the answer of "
                    f"{raw['respondent']} to {raw['question']}."
                )
            issue = Issue(
                title=raw["excerpt"][:300],
                cluster=_lookup(replay.clusters, row["cluster"], "cluster", where),
                state=Issue.State.ON_MAP,
                needs_agreement=False,
            )
            issue._change_reason = "a raw wording of the spreadsheet of the second meeting"
            raws.append((raw, answer, issue))
    history = {"default_date": timezone.now(), "batch_size": 500}
    bulk_create_with_history([issue for _, _, issue in raws], Issue, **history)
    sources = [
        IssueSource(issue=issue, answer=answer, excerpt=raw["excerpt"])
        for raw, answer, issue in raws
    ]
    bulk_create_with_history(sources, IssueSource, **history)
    for raw, _, issue in raws:
        replay.issues[f"raw:{raw['respondent']}:{raw['excerpt']}"] = issue


def _withdraw(replay: _Replay, row: dict) -> None:
    issue = replay.issues[row["title"]]
    issue.state = Issue.State.WITHDRAWN
    _save(issue, "withdrawn by the correspondence group")


def _mechanism(replay: _Replay, name: str, where: str) -> Mechanism:
    """The mechanism, recorded when the correspondence group first names it."""
    row = _lookup(replay.mechanism_rows, name, "mechanism", where)
    mechanism = replay.mechanisms.get(row["name"])
    if mechanism is None:
        mechanism = mechanism_create(
            name=row["name"],
            acronym=row.get("acronym", ""),
            kind=row["kind"],
            website=row.get("website", ""),
            description=row.get("description", ""),
        )
        replay.mechanisms[row["name"]] = mechanism
    return mechanism


def _proposed(replay: _Replay, proposer: str, proposal: Proposal, where: str) -> Proposal:
    proposal.illustrative = True
    return proposal_submit(
        proposal=proposal, proposer=_lookup(replay.people, proposer, "participant", where)
    )


def _plan_coverage(replay: _Replay, row: dict, coverage: dict) -> None:
    where = f"map.toml, {coverage['mechanism']} on {row['title']!r}"
    status, evidence = coverage["status"], coverage.get("evidence", "")
    earlier = coverage.get("earlier")
    proposer = coverage.get("proposed_by")
    recorded = _moment(coverage["recorded"], where)
    if proposer:
        pending: dict[str, Proposal] = {}

        def propose() -> None:
            pending["proposal"] = _proposed(
                replay,
                proposer,
                Proposal(
                    kind=Proposal.Kind.MECHANISM,
                    issue=replay.issues[row["title"]],
                    mechanism=_mechanism(replay, coverage["mechanism"], where),
                    status=status,
                    evidence=evidence,
                    justification=f"{evidence or 'The mechanism works on this issue.'} "
                    "(Illustrative.)",
                ),
                where,
            )

        replay.at(recorded - datetime.timedelta(hours=3), where, propose)
        replay.at(recorded, where, lambda: proposal_accept(proposal=pending["proposal"], user=None))
        return

    def record() -> None:
        coverage_set(
            issue=replay.issues[row["title"]],
            mechanism=_mechanism(replay, coverage["mechanism"], where),
            status=earlier or status,
            evidence="" if earlier else evidence,
        )

    replay.at(recorded, where, record)
    if earlier:
        replay.at(
            coverage["changed"],
            where,
            lambda: coverage_set(
                issue=replay.issues[row["title"]],
                mechanism=replay.mechanisms[replay.mechanism_rows[coverage["mechanism"]]["name"]],
                status=status,
                evidence=evidence,
            ),
        )


def _plan_gap(replay: _Replay, row: dict, gap: dict) -> None:
    where = f"map.toml, {gap['type']} gap in {row['title']!r}"
    recorded = _moment(gap["recorded"], where)
    values = {
        "description": gap.get("description", ""),
        "recommendation": gap.get("recommendation", ""),
    }
    if gap.get("proposed_by"):
        pending: dict[str, Proposal] = {}

        def propose() -> None:
            pending["proposal"] = _proposed(
                replay,
                gap["proposed_by"],
                Proposal(
                    kind=Proposal.Kind.GAP,
                    issue=replay.issues[row["title"]],
                    gap_type=gap["type"],
                    gap_description=values["description"],
                    gap_recommendation=values["recommendation"],
                    justification="The responses show this gap. (Illustrative.)",
                ),
                where,
            )

        replay.at(recorded - datetime.timedelta(days=2), where, propose)
        replay.at(recorded, where, lambda: proposal_accept(proposal=pending["proposal"], user=None))
        return
    replay.at(
        recorded,
        where,
        lambda: gap_set(issue=replay.issues[row["title"]], type=gap["type"], **values),
    )


def _plan_item(replay: _Replay, row: dict) -> None:
    where = f"map.toml, item on {row['issue']!r}"
    key = f"{row['issue']}/{row.get('mechanism', '')}"

    def mark() -> None:
        issue = _lookup(replay.issues, row["issue"], "issue", where)
        if row.get("mechanism"):
            mechanism = replay.mechanisms[replay.mechanism_rows[row["mechanism"]]["name"]]
            coverage = Coverage.objects.filter(issue=issue, mechanism=mechanism).first()
            if coverage is None:
                raise DemoDataError(f"{where}: {row['mechanism']} does not cover it yet.")
            replay.items[key] = item_create(
                coverage=coverage, summary=row["summary"], illustrative=True
            )
        else:
            replay.items[key] = item_create(issue=issue, summary=row["summary"], illustrative=True)

    replay.at(row["marked"], where, mark)
    options: dict[str, Option] = {}
    for option in row.get("options", []):
        drafted = _moment(option["drafted"], where)

        def draft(option=option) -> None:
            options[option["label"]] = option_save(
                item=replay.items[key], text=option["text"], label=option["label"]
            )

        replay.at(drafted, where, draft)
        for hours, name in enumerate(option.get("supporters", []), start=1):
            replay.at(
                drafted + datetime.timedelta(days=1, hours=hours),
                f"{where}, support of {name}",
                lambda option=option, name=name: option_support_state(
                    item=replay.items[key],
                    participant=_lookup(replay.people, name, "participant", where),
                    option=options[option["label"]],
                ),
            )
    if row.get("referred_on"):
        replay.at(
            timezone.make_aware(datetime.datetime.combine(row["referred_on"], datetime.time(16))),
            where,
            lambda: item_refer(item=replay.items[key], referred_on=row["referred_on"]),
        )
    decision = row.get("decision")
    if decision:
        replay.at(
            timezone.make_aware(
                datetime.datetime.combine(decision["decided_on"], datetime.time(17))
            ),
            where,
            lambda: decision_record(
                item=replay.items[key],
                meeting=_lookup(replay.meetings, decision["meeting"], "meeting", where),
                decided_on=decision["decided_on"],
                option=options[decision["option"]] if decision.get("option") else None,
                text=decision.get("text", ""),
                illustrative=True,
            ),
        )


# Proposals, comments and contributions -------------------------------------------------------


def _plan_correspondence(replay: _Replay, data: dict) -> None:
    for row in data.get("proposals", []):
        _plan_proposal(replay, row)
    for row in data.get("comments", []):
        where = f"correspondence.toml, comment by {row['author']!r}"
        replay.at(
            row["posted"],
            where,
            lambda row=row, where=where: comment_post(
                issue=_lookup(replay.issues, row["issue"], "issue", where),
                author=_lookup(replay.people, row["author"], "participant", where),
                text=row["text"].strip(),
                illustrative=True,
            ),
        )
    for row in data.get("contributions", []):
        _plan_contribution(replay, row)


def _plan_proposal(replay: _Replay, row: dict) -> None:
    where = f"correspondence.toml, proposal by {row['proposer']!r}"
    made: dict[str, Proposal] = {}

    def propose() -> None:
        issue = _lookup(replay.issues, row["issue"], "issue", where) if row.get("issue") else None
        proposal = Proposal(
            kind=row["kind"],
            issue=issue,
            title=row.get("title", ""),
            description=row.get("description", ""),
            cluster=_lookup(replay.clusters, row["cluster"], "cluster", where)
            if row.get("cluster")
            else None,
            mechanism_name=row.get("mechanism_name", ""),
            mechanism_acronym=row.get("mechanism_acronym", ""),
            mechanism_kind=row.get("mechanism_kind", ""),
            mechanism_website=row.get("mechanism_website", ""),
            status=row.get("status", ""),
            evidence=row.get("evidence", ""),
            gap_type=row.get("gap_type", ""),
            gap_description=row.get("gap_description", ""),
            gap_recommendation=row.get("gap_recommendation", ""),
            justification=row["justification"].strip(),
        )
        if row["kind"] == Proposal.Kind.COVERAGE:
            mechanism = _mechanism(replay, row["mechanism"], where)
            proposal.coverage = Coverage.objects.filter(issue=issue, mechanism=mechanism).first()
            if proposal.coverage is None:
                raise DemoDataError(f"{where}: {row['mechanism']} does not cover {issue}.")
        made["proposal"] = _proposed(replay, row["proposer"], proposal, where)

    replay.at(row["proposed"], where, propose)
    if row.get("accepted"):
        replay.at(
            row["accepted"],
            where,
            lambda: _accepted(replay, proposal_accept(proposal=made["proposal"], user=None)),
        )
    if row.get("declined"):
        replay.at(
            row["declined"],
            where,
            lambda: proposal_decline(proposal=made["proposal"], user=None, reason=row["reason"]),
        )


def _accepted(replay: _Replay, proposal: Proposal) -> None:
    if proposal.kind == Proposal.Kind.ISSUE:
        replay.issues[proposal.issue.title] = proposal.issue


def _plan_contribution(replay: _Replay, row: dict) -> None:
    where = f"correspondence.toml, contribution {row['title']!r}"
    made: dict[str, Contribution] = {}

    def submit() -> None:
        made["contribution"] = contribution_submit(
            author=_lookup(replay.people, row["author"], "participant", where),
            title=row["title"],
            kind=row["kind"],
            text=row["text"].strip(),
            meeting=_lookup(replay.meetings, row["meeting"], "meeting", where)
            if row.get("meeting")
            else None,
            illustrative=True,
        )

    replay.at(row["submitted"], where, submit)
    if row.get("published"):
        replay.at(
            row["published"],
            where,
            lambda: contribution_publish(
                contributions=Contribution.objects.filter(pk=made["contribution"].pk)
            ),
        )


# The deliverables ----------------------------------------------------------------------------


def _plan_reports(replay: _Replay, data: dict) -> None:
    deliverables: dict[str, Deliverable] = {}

    def schedule() -> None:
        for row in data["deliverables"]:
            deliverables[row["slug"]] = deliverable = Deliverable(
                slug=row["slug"],
                kind=row["kind"],
                title=row["title"],
                due_date=row["due"],
                masthead_body=row.get("masthead_body", ""),
                masthead_meeting=row.get("masthead_meeting", ""),
                masthead_place_dates=row.get("masthead_place_dates", ""),
                without_formal_editing=row.get("without_formal_editing", False),
            )
            _save(deliverable, "terms of reference, paragraphs 3 and 4")
        if data.get("symbol_pattern"):
            _save(SymbolPattern(pattern=data["symbol_pattern"]))

    replay.at(
        SECOND_MEETING_ENDS + datetime.timedelta(minutes=30),
        "reports.toml: the schedule",
        schedule,
    )
    for row in data["deliverables"]:
        if not row.get("sent"):
            continue
        where = f"reports.toml, {row['slug']}"
        sent = _moment(row["sent"], where)
        replay.at(
            sent,
            where,
            lambda row=row: report_send(
                deliverable=deliverables[row["slug"]],
                introduction=row.get("introduction", ""),
                issued_on=row["issued_on"],
                illustrative=True,
            ),
        )
        replay.at(sent + datetime.timedelta(minutes=2), where, lambda row=row: _deliver(row))


def _deliver(row: dict) -> None:
    """The deliveries of a sent report, recorded as the sending task records them."""
    report = Report.objects.get(deliverable__slug=row["slug"])
    while batch := deliveries_claim(report_id=report.pk, worker="demo-replay", limit=500):
        started = deliveries_start(deliveries=batch)
        deliveries_sent(sent=[Sent(delivery.pk, "", timezone.now()) for delivery in started])
