"""The final document's (and the initial output's) generator: the map read once, as plain data.

``final_document_build`` returns a ``FinalDocument``; the formatters in ``reports/formats.py``
render it as DOCX and PDF. The wording blocks (symbol, subtitle, introduction, headings) come
from templates the secretariat may change (``reports/wording.py``). A constant number of queries
reads the whole map, whatever its size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from consensus.models import ConsensusItem, OptionSupport
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap
from reports.models import Deliverable
from reports.wording import Wording
from wgec.participants import ParticipantSection, participants_by_section

DOCUMENT_TEMPLATES = [
    "reports/document/symbol.txt",
    "reports/document/subtitle.txt",
    "reports/document/introduction.txt",
    "reports/document/map_heading.txt",
    "reports/document/annex_referred_heading.txt",
    "reports/document/annex_referred_intro.txt",
    "reports/document/annex_participants_heading.txt",
]

# The order a reader expects: who addresses the issue first.
_STATUS_ORDER = {value: index for index, value in enumerate(Coverage.Status.values)}


@dataclass
class CoverageEntry:
    mechanism: str
    status: str
    status_label: str
    evidence: str


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


@dataclass
class ClusterEntry:
    letter: str
    name: str
    description: str
    issues: list[IssueEntry] = field(default_factory=list)


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
            return "No support stated"
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

    @property
    def issue_count(self) -> int:
        return sum(len(cluster.issues) for cluster in self.clusters)


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
            due_date=timezone.localdate(),
        )
    return found


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def final_document_build(
    *, deliverable: Deliverable, date: datetime.date | None = None
) -> FinalDocument:
    """Everything the document says, read from the map as it stands."""
    date = date or timezone.localdate()
    clusters = _clusters()
    referred = referred_items()
    wording = Wording.load(DOCUMENT_TEMPLATES)
    context = {
        "deliverable": deliverable,
        "date": date,
        "group_name": settings.WGEC_GROUP_NAME,
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        "issue_count": sum(len(cluster.issues) for cluster in clusters),
        "cluster_count": len([cluster for cluster in clusters if cluster.issues]),
        "referred_count": len(referred),
    }
    return FinalDocument(
        title=deliverable.title,
        symbol=wording.line("reports/document/symbol.txt", context),
        subtitle=wording.line("reports/document/subtitle.txt", context),
        date=date,
        introduction=_paragraphs(wording.render("reports/document/introduction.txt", context)),
        map_heading=wording.line("reports/document/map_heading.txt", context),
        clusters=[cluster for cluster in clusters if cluster.issues],
        annex_referred_heading=wording.line("reports/document/annex_referred_heading.txt", context),
        annex_referred_intro=_paragraphs(
            wording.render("reports/document/annex_referred_intro.txt", context)
        ),
        referred=referred,
        annex_participants_heading=wording.line(
            "reports/document/annex_participants_heading.txt", context
        ),
        participants=participants_by_section(),
    )


def _letter(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        letters[index]
        if index < len(letters)
        else f"{letters[index // 26 - 1]}{letters[index % 26]}"
    )


def _clusters() -> list[ClusterEntry]:
    clusters = {
        cluster.pk: ClusterEntry(_letter(index), cluster.name, cluster.description)
        for index, cluster in enumerate(Cluster.objects.all())
    }
    consensus = dict(Issue.Consensus.choices)
    issues: dict[int, IssueEntry] = {}
    rows = (
        Issue.objects.on_map()
        .order_by("cluster__position", "cluster__name", "title", "pk")
        .values_list("pk", "title", "description", "cluster_id", "consensus")
    )
    for pk, title, description, cluster_id, agreement in rows.iterator(chunk_size=2000):
        entry = IssueEntry(pk, title, description, agreement, consensus[agreement])
        issues[pk] = entry
        clusters[cluster_id].issues.append(entry)
    statuses = dict(Coverage.Status.choices)
    coverage = (
        Coverage.objects.filter(issue__state=Issue.State.ON_MAP)
        .order_by("issue_id", "mechanism__name")
        .values_list("issue_id", "mechanism__name", "mechanism__acronym", "status", "evidence")
    )
    for issue_id, name, acronym, status, evidence in coverage.iterator(chunk_size=5000):
        mechanism = f"{name} ({acronym})" if acronym else name
        issues[issue_id].coverage.append(
            CoverageEntry(mechanism, status, statuses[status], evidence)
        )
    for entry in issues.values():
        entry.coverage.sort(key=lambda item: _STATUS_ORDER[item.status])
    types = dict(Gap.Type.choices)
    gaps = (
        Gap.objects.filter(issue__state=Issue.State.ON_MAP)
        .order_by("issue_id", "type")
        .values_list("issue_id", "type", "description", "recommendation")
    )
    for issue_id, gap_type, description, recommendation in gaps.iterator(chunk_size=5000):
        issues[issue_id].gaps.append(GapEntry(types[gap_type], description, recommendation))
    return list(clusters.values())


def referred_items() -> list[ReferredEntry]:
    """Items referred to the working group (decided ones too), with options and support."""
    supports = OptionSupport.objects.select_related("participant__stakeholder_group").order_by(
        "participant__stakeholder_group__position", "participant__name"
    )
    items = (
        ConsensusItem.objects.filter(
            state__in=[ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED]
        )
        .select_related(
            "issue",
            "coverage__issue",
            "coverage__mechanism",
            "decision__option",
            "decision__meeting",
        )
        .prefetch_related("options", Prefetch("supports", queryset=supports))
        .order_by("referred_on", "pk")
    )
    entries = []
    for item in items:
        by_option: dict[int, dict[str, list[str]]] = defaultdict(dict)
        for support in item.supports.all():
            participant = support.participant
            name = participant.display_name
            if participant.country and participant.stakeholder_group.is_governmental:
                name = f"{name} ({participant.country.name})"
            elif participant.organisation:
                name = f"{name} ({participant.organisation})"
            groups = by_option[support.option_id]
            groups.setdefault(participant.stakeholder_group.name, []).append(name)
        options = [
            OptionEntry(
                option.label,
                option.text,
                [SupportEntry(group, names) for group, names in by_option[option.pk].items()],
            )
            for option in item.options.all()
        ]
        decision = ""
        if item.state == ConsensusItem.State.DECIDED and hasattr(item, "decision"):
            chosen = item.decision
            parts = [f"Option {chosen.option.label}" if chosen.option else "", chosen.text]
            decision = (
                f"Decided at the {chosen.meeting.title.lower()} on "
                f"{chosen.decided_on:%-d %B %Y}: " + ". ".join(part for part in parts if part)
            )
        entries.append(
            ReferredEntry(
                subject=item.subject_label,
                summary=item.summary,
                state_label=item.get_state_display(),
                referred_on=item.referred_on,
                options=options,
                decision=decision,
            )
        )
    return entries
