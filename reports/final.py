"""The final document's (and the initial output's) generator: the map read once, as plain data,
as it stood at the document's date of issue.

``document_issue`` says which document is meant: a deliverable already issued is the document
as issued (its date of issue, its symbol, the map at the moment it was issued); otherwise it is
prepared as of a date (today by default). ``final_document_build`` returns a ``FinalDocument``;
the formatters in ``reports/formats.py`` render it. The wording blocks (subtitle, introduction,
headings) come from templates the secretariat may change (``reports/wording.py``). A constant
number of queries reads the whole map, whatever its size: one or two per model, on the live
tables or, for a past moment, on the change history.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consensus.models import ConsensusItem, Decision, Option, OptionSupport
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Deliverable, Report
from reports.wording import Wording
from wgec.countries import un_name
from wgec.documents.history import end_of_day, historical_rows, rows_as_of
from wgec.languages import labels as choice_labels
from wgec.models import Meeting
from wgec.participants import (
    ParticipantSection,
    last_meeting_by,
    meeting_participants_as_of,
    participants_as_of,
    participants_by_section,
)

DOCUMENT_TEMPLATES = [
    "reports/document/subtitle.txt",
    "reports/document/introduction.txt",
    "reports/document/map_heading.txt",
    "reports/document/annex_referred_heading.txt",
    "reports/document/annex_referred_intro.txt",
    "reports/document/annex_participants_heading.txt",
]

# The order a reader expects: who addresses the issue first.
_STATUS_ORDER = {value: index for index, value in enumerate(Coverage.Status.values)}


def day(date: datetime.date) -> str:
    """A day as the active language writes it in full (30 November 2013, 30 novembre 2013,
    2013年11月30日)."""
    return date_format(date, "DATE_FORMAT")


class DocumentDateError(ValueError):
    """A document cannot be prepared as of that date (the message says why)."""


@dataclass
class DocumentIssue:
    """Which document: a deliverable, the date it bears, and the moment the map is read at."""

    deliverable: Deliverable
    date: datetime.date
    moment: datetime.datetime | None  # None: the map as it stands now
    symbol: str = ""
    issued: bool = False  # the deliverable as it was issued (sent)
    illustrative: bool = False


def document_issue(
    deliverable: Deliverable,
    *,
    date: datetime.date | None = None,
    now: datetime.datetime,
) -> DocumentIssue:
    """The document of ``deliverable``: as issued when it was, else prepared as of ``date``.

    ``now`` is the moment it is prepared, named by the caller (a command's run, an export's
    request): an issued document never reads it (its records date it). A prepared one bears
    ``date``, else the date of issue set on its draft, and shows the map as of the end of that
    day (as it stands, for ``now``'s day); with neither, it shows the map as it stands, dated the
    day of the map's last recorded change (``map_last_changed_on``): the exercise's own date,
    not the machine's (a replayed 2013-14 exercise prepared today is dated 2014). A prepared
    document carries no symbol (symbols are given when a document is issued). A date after
    ``now``'s day is refused.
    """
    report = Report.objects.sent().filter(deliverable_id=deliverable.pk).first()
    if report is not None and date is None:
        return DocumentIssue(
            deliverable,
            report.issued_on,
            report.composed_at,
            symbol=report.symbol,
            issued=True,
            illustrative=report.illustrative,
        )
    today = timezone.localdate(now)
    date = date or deliverable.draft_issued_on()
    if date is None:
        return DocumentIssue(deliverable, map_last_changed_on(now) or today, None)
    if date == today:
        return DocumentIssue(deliverable, today, None)
    if date > today:
        raise DocumentDateError(
            _("%(date)s is after today: a document shows the map as it stood on its date.")
            % {"date": day(date)}
        )
    return DocumentIssue(deliverable, date, end_of_day(date))


# What a document shows of the map: its records' change history dates a document prepared from
# the map as it stands.
MAP_MODELS = (
    Issue,
    Cluster,
    Mechanism,
    Coverage,
    Gap,
    ConsensusItem,
    Option,
    OptionSupport,
    Decision,
)


def map_last_changed_on(now: datetime.datetime) -> datetime.date | None:
    """The day (in the exercise's time zone) of the last change recorded, at or before ``now``,
    to what a document shows of the map; None when nothing is recorded. One query a table."""
    moments = [
        historical_rows(model)
        .filter(history_date__lte=now)
        .aggregate(last=Max("history_date"))["last"]
        for model in MAP_MODELS
    ]
    last = max((moment for moment in moments if moment is not None), default=None)
    return timezone.localdate(last) if last is not None else None


@dataclass
class CoverageEntry:
    mechanism: str  # as documents show it: "Name (ACRONYM)"
    status: str
    status_label: str
    evidence: str
    name: str = ""  # the mechanism's name alone
    mechanism_id: int | None = None


@dataclass
class GapEntry:
    type_label: str
    description: str
    recommendation: str


@dataclass
class IssueEntry:
    id: int
    title: str
    description: str
    consensus: str
    consensus_label: str
    coverage: list[CoverageEntry] = field(default_factory=list)
    gaps: list[GapEntry] = field(default_factory=list)
    number: str = ""  # its section: "2.1"
    annex_items: list[int] = field(default_factory=list)  # its items in annex I, by number

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def gap_types(self) -> str:
        return "; ".join(gap.type_label for gap in self.gaps)

    @property
    def consensus_note(self) -> str:
        """What the document says of an issue without consensus, pointing at annex I only for
        the items annex I holds."""
        if self.annex_items:
            items = ", ".join(str(number) for number in self.annex_items)
            return ngettext(
                "The correspondence group did not reach consensus on this issue: see annex I, "
                "item %(items)s.",
                "The correspondence group did not reach consensus on this issue: see annex I, "
                "items %(items)s.",
                len(self.annex_items),
            ) % {"items": items}
        if self.consensus == Issue.Consensus.AGREED:
            return ""
        return _(
            "The correspondence group has not reached consensus on this issue; it has not been "
            "referred to the working group."
        )


@dataclass
class ClusterEntry:
    letter: str
    name: str
    description: str
    issues: list[IssueEntry] = field(default_factory=list)
    number: int = 0  # its section: 2 for the first cluster (1 is the introduction)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


@dataclass
class SupportEntry:
    group: str
    names: list[str]


@dataclass
class OptionEntry:
    label: str
    text: str
    support: list[SupportEntry]

    @property
    def support_text(self) -> str:
        if not self.support:
            return _("No support stated")
        return "; ".join(
            f"{entry.group} ({len(entry.names)}): {', '.join(entry.names)}"
            for entry in self.support
        )


@dataclass
class ReferredEntry:
    subject: str
    summary: str
    state_label: str
    referred_on: datetime.date | None
    options: list[OptionEntry]
    decision: str
    illustrative: bool = False
    issue_id: int | None = None  # the issue it concerns (itself, or one of its statuses)
    section: str = ""  # that issue's section in the document

    @property
    def referral(self) -> str:
        """When it was referred, labelled as such (its decision says when it was decided)."""
        if self.referred_on is None:
            return _("Referred to the working group.")
        return _("Referred to the working group on %(date)s.") % {"date": day(self.referred_on)}


@dataclass
class Remaining:
    """What the initial output says remains to be done before the final document."""

    not_reviewed: list[str]  # issues with neither a mechanism nor a gap recorded
    without_status: list[str]  # "issue: mechanism" whose status is unknown
    not_referred: list[str]  # items without consensus not yet referred

    @property
    def is_empty(self) -> bool:
        return not (self.not_reviewed or self.without_status or self.not_referred)


@dataclass
class FinalDocument:
    title: str
    symbol: str
    subtitle: str
    date: datetime.date
    introduction: list[str]
    map_heading: str
    clusters: list[ClusterEntry]
    annex_referred_heading: str
    annex_referred_intro: list[str]
    referred: list[ReferredEntry]
    annex_participants_heading: str
    participants: list[ParticipantSection]
    illustrative: bool = False
    issued: bool = False
    participants_meeting: str = ""
    masthead: list[str] = field(default_factory=list)
    without_formal_editing: bool = False
    remaining: Remaining | None = None  # the initial output: a draft saying what remains
    language: str = "en"  # the language of its fixed wording (the map's text stays as written)

    @property
    def draft(self) -> bool:
        return self.remaining is not None

    @property
    def remaining_number(self) -> int:
        """The section saying what remains: after the clusters."""
        return len(self.clusters) + 2

    @property
    def running_header(self) -> str:
        """What every page after the first carries beside its number."""
        head = self.symbol or self.title
        return _("%(document)s (draft)") % {"document": head} if self.draft else head

    def contents(self, *, issues: bool = True) -> list[tuple[int, str, str]]:
        """The table of contents: (level, heading, anchor) of the sections (with the issues'
        when ``issues``) and annexes."""
        entries = [(1, _("1. Introduction"), "introduction")]
        for cluster in self.clusters:
            entries.append((1, cluster.heading, f"c-{cluster.number}"))
            if issues:
                entries.extend((2, issue.heading, f"s-{issue.number}") for issue in cluster.issues)
        if self.draft:
            entries.append((1, f"{self.remaining_number}. {REMAINING_HEADING}", "remaining"))
        entries.append((1, annex_heading(1, self.annex_referred_heading), "annex-1"))
        entries.append((1, annex_heading(2, MAP_TABLE_HEADING), "annex-2"))
        entries.append((1, annex_heading(3, self.annex_participants_heading), "annex-3"))
        return entries

    @property
    def issue_count(self) -> int:
        return sum(len(cluster.issues) for cluster in self.clusters)

    @property
    def status_line(self) -> str:
        """Under the title: a draft, the document as issued, or one prepared."""
        draft = (
            _(
                "Draft of the final document: the map as it stood on %(date)s, with what remains "
                "to be done (section %(section)s)."
            )
            % {"date": day(self.date), "section": self.remaining_number}
            if self.draft
            else ""
        )
        if self.issued:
            return draft
        prepared = _("Prepared from the map as it stood on %(date)s; not the issued document.") % {
            "date": day(self.date)
        }
        return f"{draft} {prepared}" if draft else prepared


REMAINING_HEADING = gettext_lazy("What remains before the final document")
MAP_TABLE_HEADING = gettext_lazy("The map: issues, mechanisms, their status and the gaps")


def annex_heading(number: int, heading: str) -> str:
    """ "Annex I. Items referred ...": the annex's number as the language writes it."""
    label = {1: _("Annex I"), 2: _("Annex II"), 3: _("Annex III")}[number]
    return _("%(annex)s. %(heading)s") % {"annex": label, "heading": heading}


# The languages a document's fixed wording can be written in: the six official languages.
DOCUMENT_LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


class UnknownLanguage(ValueError):
    """Not one of the six languages a document is written in (the message names them)."""


def document_language(code: str | None) -> str:
    """The language code a document is prepared in ("zh-Hans" and "zh_hans" read as "zh-hans");
    English when none is given."""
    if not code:
        return "en"
    found = code.strip().lower().replace("_", "-")
    if found not in DOCUMENT_LANGUAGES:
        raise UnknownLanguage(
            f"Unknown language “{code}”: a document is written in {', '.join(DOCUMENT_LANGUAGES)}."
        )
    return found


def document_deliverable(slug: str | None = None) -> Deliverable:
    """The deliverable a document is issued as: the named one, else the final document."""
    if slug:
        return Deliverable.objects.get(slug=slug)
    found = Deliverable.objects.filter(kind=Deliverable.Kind.FINAL_DOCUMENT).first()
    if found is None:
        return Deliverable(
            slug="final-document",
            kind=Deliverable.Kind.FINAL_DOCUMENT,
            title="Final document of the correspondence group",
            due_date=datetime.date.max,
        )
    return found


def counted(*, issue_count: int, cluster_count: int, referred_count: int) -> dict:
    """The document's counts for its wording, each also as words in the active language ("41
    issues", "41 questions"): a sentence holding two counts cannot take both plurals itself."""
    return {
        "issue_count": issue_count,
        "cluster_count": cluster_count,
        "referred_count": referred_count,
        "issues_counted": ngettext("%(count)s issue", "%(count)s issues", issue_count)
        % {"count": issue_count},
        "clusters_counted": ngettext("%(count)s cluster", "%(count)s clusters", cluster_count)
        % {"count": cluster_count},
        "referred_counted": ngettext("%(count)s item", "%(count)s items", referred_count)
        % {"count": referred_count},
    }


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def in_document_language[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """A formatter of a ``FinalDocument`` (its first argument) run in the document's language,
    whatever language is active where it is called."""

    @wraps(function)
    def in_language(*args: P.args, **kwargs: P.kwargs) -> R:
        document = args[0]
        with translation.override(getattr(document, "language", "en")):
            return function(*args, **kwargs)

    return in_language


def final_document_build(*, issue: DocumentIssue, language: str = "en") -> FinalDocument:
    """Everything the document says, read from the map as it stood at the issue's moment, its
    fixed wording in ``language`` (the map's own text as it was written)."""
    with translation.override(language):
        document = _final_document_build(issue)
    document.language = language
    return document


def _final_document_build(issue: DocumentIssue) -> FinalDocument:
    moment = issue.moment
    clusters = _clusters(moment)
    referred = referred_items(moment)
    wording = Wording.load(DOCUMENT_TEMPLATES)
    context = {
        "deliverable": issue.deliverable,
        "date": issue.date,
        "symbol": issue.symbol,
        # The group's name as the language names it (its settings hold the English name).
        "group_name": _(settings.WGEC_GROUP_NAME),
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        **counted(
            issue_count=sum(len(cluster.issues) for cluster in clusters),
            cluster_count=len([cluster for cluster in clusters if cluster.issues]),
            referred_count=len(referred),
        ),
    }
    clusters = [cluster for cluster in clusters if cluster.issues]
    _number(clusters, referred)
    meeting = last_meeting_by(issue.date)
    if meeting is not None:
        participants = meeting_participants_as_of(meeting, moment)
    else:
        everyone = participants_as_of(moment).values()
        participants = participants_by_section(p for p in everyone if not p.illustrative)
    return FinalDocument(
        title=issue.deliverable.title,
        symbol=issue.symbol,
        subtitle=wording.line("reports/document/subtitle.txt", context),
        date=issue.date,
        introduction=_paragraphs(wording.render("reports/document/introduction.txt", context)),
        map_heading=wording.line("reports/document/map_heading.txt", context),
        clusters=clusters,
        annex_referred_heading=wording.line("reports/document/annex_referred_heading.txt", context),
        annex_referred_intro=_paragraphs(
            wording.render("reports/document/annex_referred_intro.txt", context)
        ),
        referred=referred,
        annex_participants_heading=wording.line(
            "reports/document/annex_participants_heading.txt", context
        ),
        participants=participants,
        illustrative=issue.illustrative or any(item.illustrative for item in referred),
        issued=issue.issued,
        participants_meeting=meeting.title if meeting else "",
        masthead=issue.deliverable.masthead,
        without_formal_editing=issue.deliverable.without_formal_editing,
        remaining=(
            remaining_work(clusters, moment)
            if issue.deliverable.kind == Deliverable.Kind.INITIAL_OUTPUT
            else None
        ),
    )


def _number(clusters: list[ClusterEntry], referred: list[ReferredEntry]) -> None:
    """Sections as the map orders them (1 is the introduction; 2 the first cluster, 2.1 its
    first issue), and each issue's items in annex I, so that every cross-reference holds."""
    sections = {}
    for index, cluster in enumerate(clusters, start=2):
        cluster.number = index
        for position, entry in enumerate(cluster.issues, start=1):
            entry.number = f"{index}.{position}"
            sections[entry.id] = entry
    for number, item in enumerate(referred, start=1):
        entry = sections.get(item.issue_id)
        if entry is not None:
            entry.annex_items.append(number)
            item.section = entry.number


def remaining_work(clusters: list[ClusterEntry], moment: datetime.datetime | None) -> Remaining:
    """What remains before the final document: issues not yet reviewed (neither a mechanism
    nor a gap recorded), mechanisms whose status is unknown, and items without consensus not
    yet referred to the working group."""
    not_reviewed, without_status = [], []
    titles = {}
    for cluster in clusters:
        for entry in cluster.issues:
            titles[entry.id] = entry.heading
            if not entry.coverage and not entry.gaps:
                not_reviewed.append(entry.heading)
            without_status.extend(
                f"{entry.heading}: {coverage.mechanism}"
                for coverage in entry.coverage
                if coverage.status == Coverage.Status.UNKNOWN
            )
    open_items = list(
        rows_as_of(ConsensusItem, moment)
        .filter(state=ConsensusItem.State.OPEN)
        .order_by("id")
        .values_list("issue_id", "coverage_id", "summary")
    )
    covered = dict(
        rows_as_of(Coverage, moment)
        .filter(id__in=[row[1] for row in open_items if row[1]])
        .values_list("id", "issue_id")
    )
    not_referred = []
    for issue_id, coverage_id, summary in open_items:
        about = titles.get(issue_id or covered.get(coverage_id))
        not_referred.append(f"{about}: {summary}" if about else summary)
    return Remaining(not_reviewed, without_status, not_referred)


def _letter(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        letters[index]
        if index < len(letters)
        else f"{letters[index // 26 - 1]}{letters[index % 26]}"
    )


def _small_table(model, moment: datetime.datetime | None, *fields: str) -> dict[int, tuple]:
    """A small table (clusters, mechanisms) as of ``moment``, by id; a row without history at
    that moment (created by a migration, say) is read as it stands now."""
    rows = {row[0]: row[1:] for row in rows_as_of(model, None).values_list("id", *fields)}
    if moment is not None:
        as_of = rows_as_of(model, moment).values_list("id", *fields)
        rows.update({row[0]: row[1:] for row in as_of})
    return rows


def mechanism_names(moment: datetime.datetime | None) -> dict[int, tuple[str, str]]:
    """Each mechanism's name as documents show it, "Name (ACRONYM)", and its name alone, as of
    ``moment``."""
    return {
        pk: (f"{name} ({acronym})" if acronym else name, name)
        for pk, (name, acronym) in _small_table(Mechanism, moment, "name", "acronym").items()
    }


def _clusters(moment: datetime.datetime | None) -> list[ClusterEntry]:
    table = _small_table(Cluster, moment, "position", "name", "description")
    rows = sorted(((pk, *row) for pk, row in table.items()), key=lambda row: (row[1], row[2]))
    clusters = {
        pk: ClusterEntry(_letter(index), name, description)
        for index, (pk, _, name, description) in enumerate(rows)
    }
    consensus = choice_labels(Issue.Consensus)
    on_map = rows_as_of(Issue, moment).filter(state=Issue.State.ON_MAP)
    issues: dict[int, IssueEntry] = {}
    ordered = sorted(
        on_map.values_list("id", "title", "description", "cluster_id", "consensus").iterator(
            chunk_size=2000
        ),
        key=lambda row: (row[1], row[0]),
    )
    for pk, title, description, cluster_id, agreement in ordered:
        entry = IssueEntry(pk, title, description, agreement, consensus[agreement])
        issues[pk] = entry
        clusters[cluster_id].issues.append(entry)
    names = mechanism_names(moment)
    statuses = choice_labels(Coverage.Status)
    coverage = rows_as_of(Coverage, moment).values_list(
        "issue_id", "mechanism_id", "status", "evidence"
    )
    for issue_id, mechanism_id, status, evidence in coverage.iterator(chunk_size=5000):
        if issue_id in issues:
            shown, name = names[mechanism_id]
            issues[issue_id].coverage.append(
                CoverageEntry(shown, status, statuses[status], evidence, name, mechanism_id)
            )
    for entry in issues.values():
        entry.coverage.sort(key=lambda item: (_STATUS_ORDER[item.status], item.mechanism))
    types = choice_labels(Gap.Type)
    order = {value: index for index, value in enumerate(Gap.Type.values)}
    gaps = sorted(
        rows_as_of(Gap, moment)
        .values_list("issue_id", "type", "description", "recommendation")
        .iterator(chunk_size=5000),
        key=lambda row: order[row[1]],
    )
    for issue_id, gap_type, description, recommendation in gaps:
        if issue_id in issues:
            issues[issue_id].gaps.append(GapEntry(types[gap_type], description, recommendation))
    return list(clusters.values())


@dataclass
class OtherIssue:
    """An issue off the map at the document's moment: proposed, merged or withdrawn."""

    id: int
    title: str
    cluster: str
    state_label: str
    merged_into_id: int | None
    merged_into: str  # the surviving issue's title


def other_issues(moment: datetime.datetime | None) -> list[OtherIssue]:
    """The issues not on the map as of ``moment`` (proposed, merged, withdrawn), by state then
    title, each with its cluster's name and, for a merged one, the title it was merged into."""
    clusters = {pk: row[1] for pk, row in _small_table(Cluster, moment, "position", "name").items()}
    states = choice_labels(Issue.State)
    order = {value: index for index, value in enumerate(Issue.State.values)}
    rows = list(
        rows_as_of(Issue, moment)
        .exclude(state=Issue.State.ON_MAP)
        .values_list("id", "title", "cluster_id", "state", "merged_into_id")
        .iterator(chunk_size=2000)
    )
    survivors = dict(
        rows_as_of(Issue, moment)
        .filter(id__in={row[4] for row in rows if row[4]})
        .values_list("id", "title")
    )
    rows.sort(key=lambda row: (order[row[3]], row[1].casefold(), row[0]))
    return [
        OtherIssue(
            pk,
            title,
            clusters.get(cluster_id, ""),
            states[state],
            merged_into_id,
            survivors.get(merged_into_id, ""),
        )
        for pk, title, cluster_id, state, merged_into_id in rows
    ]


def referred_items(moment: datetime.datetime | None = None) -> list[ReferredEntry]:
    """Items referred to the working group (decided ones too) as of ``moment``, with their
    options, the support for them by stakeholder group and the decision taken by then."""
    sent_on = [ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED]
    items = sorted(
        rows_as_of(ConsensusItem, moment)
        .filter(state__in=sent_on)
        .values_list(
            "id", "issue_id", "coverage_id", "summary", "state", "referred_on", "illustrative"
        ),
        key=lambda row: (row[5] or datetime.date.min, row[0]),
    )
    if not items:
        return []
    ids = [row[0] for row in items]
    options: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    labels = {}
    for pk, item_id, label, text in sorted(
        rows_as_of(Option, moment)
        .filter(item_id__in=ids)
        .values_list("id", "item_id", "label", "text"),
        key=lambda row: row[2],
    ):
        options[item_id].append((pk, label, text))
        labels[pk] = (label, text)
    supports = list(
        rows_as_of(OptionSupport, moment)
        .filter(item_id__in=ids)
        .values_list("option_id", "participant_id")
    )
    people = participants_as_of(moment, ids={person for _, person in supports})
    decisions = {
        row[0]: row[1:]
        for row in rows_as_of(Decision, moment)
        .filter(item_id__in=ids)
        .values_list("item_id", "option_id", "text", "meeting_id", "decided_on")
    }
    meetings = dict(Meeting.objects.values_list("pk", "title"))
    coverage = {
        pk: (issue_id, mechanism_id)
        for pk, issue_id, mechanism_id in rows_as_of(Coverage, moment)
        .filter(id__in=[row[2] for row in items if row[2]])
        .values_list("id", "issue_id", "mechanism_id")
    }
    titles = dict(
        rows_as_of(Issue, moment)
        .filter(
            id__in=[row[1] for row in items if row[1]] + [pair[0] for pair in coverage.values()]
        )
        .values_list("id", "title")
    )
    mechanisms = mechanism_names(moment)

    by_option: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for option_id, participant_id in sorted(
        supports,
        key=lambda row: (
            people[row[1]].stakeholder_group.position,
            people[row[1]].position,
            people[row[1]].name.casefold(),
        ),
    ):
        person = people[participant_id]
        by_option[option_id].setdefault(person.stakeholder_group.name, []).append(
            supporter_name(person)
        )
    states = choice_labels(ConsensusItem.State)
    entries = []
    for pk, issue_id, coverage_id, summary, state, referred_on, illustrative in items:
        if issue_id:
            subject = titles.get(issue_id, "")
        else:
            covered, mechanism_id = coverage.get(coverage_id, (None, None))
            mechanism = mechanisms.get(mechanism_id, ("", ""))[0]
            subject = _("%(issue)s / status of %(mechanism)s") % {
                "issue": titles.get(covered, ""),
                "mechanism": mechanism,
            }
        about = issue_id or coverage.get(coverage_id, (None, None))[0]
        decision = ""
        if state == ConsensusItem.State.DECIDED and pk in decisions:
            option_id, text, meeting_id, decided_on = decisions[pk]
            parts = [
                _("Option %(label)s") % {"label": labels[option_id][0]}
                if option_id in labels
                else "",
                text,
            ]
            decision = _("Decided at the %(meeting)s on %(date)s: %(decision)s") % {
                "meeting": meetings.get(meeting_id, _("meeting")).lower(),
                "date": day(decided_on),
                "decision": ". ".join(part for part in parts if part),
            }
        entries.append(
            ReferredEntry(
                subject=subject,
                summary=summary,
                state_label=states[state],
                referred_on=referred_on,
                options=[
                    OptionEntry(
                        label,
                        text,
                        [
                            SupportEntry(group, names)
                            for group, names in by_option[option_pk].items()
                        ],
                    )
                    for option_pk, label, text in options[pk]
                ],
                decision=decision,
                illustrative=illustrative,
                issue_id=about,
            )
        )
    return entries


def supporter_name(participant) -> str:
    """A supporter as documents name them: a government's delegate with the country, anyone
    else with the organisation (a fictional participant with the description it carries)."""
    name = participant.display_name
    if participant.country and participant.stakeholder_group.is_governmental:
        return f"{name} ({un_name(participant.country.code)})"
    if participant.organisation:
        return f"{name} ({participant.organisation})"
    return name
