"""What this room adds to the issues room, through its extension points: the coverage and gap
sections of an issue's page (``issues.issue_page``), their changes in the issue's history
(``issues.issue_history``), and coverage and gaps as parts of an issue that follow a merge
(``issues.issue_parts``). Registered by ``MechanismsConfig.ready``; the coverage and gap inlines
of the Issue admin are in ``admin.py``."""

from django.utils.html import format_html
from django.utils.translation import gettext

from issues.issue_history import HistorySource, issue_history_source_register
from issues.issue_page import IssuePage, IssueSection, issue_section_register
from issues.issue_parts import IssuePart, issue_part_register
from mechanisms.models import STATUS_RANK, Coverage, Gap, MechanismKind
from wgec.documents.history import historical_rows
from wgec.languages import labels
from wgec.links import link_maker


def coverage_of(page: IssuePage) -> list[Coverage]:
    """The issue's coverage with the mechanisms, best status first (read once per page; the
    consensus room's actions read it too)."""

    def read() -> list[Coverage]:
        rows = Coverage.objects.filter(issue=page.issue).select_related("mechanism")
        return sorted(
            rows.order_by("mechanism__name"),
            key=lambda row: (STATUS_RANK[row.status], row.mechanism.name.casefold()),
        )

    return page.memo("mechanisms.coverage", read)


def coverage_context(page: IssuePage) -> dict:
    """Each row with its mechanism's link and its labels, resolved and translated once a page
    rather than once a row."""
    link = link_maker("mechanisms:detail")
    kinds, statuses = labels(MechanismKind), labels(Coverage.Status)
    rows = coverage_of(page)
    for row in rows:
        row.mechanism_link = link(row.mechanism_id)
        row.kind_label = kinds.get(row.mechanism.kind, row.mechanism.kind)
        row.status_label = statuses.get(row.status, row.status)
    return {"coverage": rows}


def gaps_context(page: IssuePage) -> dict:
    return {"gaps": list(Gap.objects.filter(issue=page.issue))}


def _coverage_summary(rows: list[Coverage]) -> str:
    return (
        ", ".join(
            f"{row.mechanism.short_name} ({row.get_status_display().lower()})" for row in rows
        )
        or "—"
    )


def _gaps_summary(rows: list[Gap]) -> str:
    return ", ".join(str(gap.get_type_display()) for gap in rows) or "—"


def _coverage_subject(row, shown: dict[str, str]) -> str:
    """ "coverage by" a mechanism, its name marked as the record's own (English) text."""
    name = format_html('<span lang="en">{}</span>', shown["mechanism"])
    return format_html(gettext("coverage by {mechanism}"), mechanism=name)


def register() -> None:
    issue_section_register(
        IssueSection("coverage", 20, "mechanisms/_issue_coverage.html", coverage_context)
    )
    issue_section_register(IssueSection("gaps", 30, "mechanisms/_issue_gaps.html", gaps_context))
    issue_history_source_register(
        HistorySource(
            name="coverage",
            order=20,
            rows=lambda issue: historical_rows(Coverage).filter(issue_id=issue.pk),
            fields=["mechanism", "status", "evidence"],
            subject=_coverage_subject,
            known=lambda page: {
                "mechanism": {row.mechanism_id: str(row.mechanism) for row in coverage_of(page)}
            },
        )
    )
    issue_history_source_register(
        HistorySource(
            name="gaps",
            order=30,
            rows=lambda issue: historical_rows(Gap).filter(issue_id=issue.pk),
            fields=["type", "description", "recommendation"],
            subject=lambda row, shown: shown["type"].lower(),
        )
    )
    issue_part_register(
        IssuePart(
            key="coverage",
            order=20,
            model=Coverage,
            duplicate_of="mechanism_id",
            kept_back=lambda row: (
                f"coverage by {row.mechanism.short_name} ({row.get_status_display().lower()}): "
                "the survivor's own status for it is kept"
            ),
            undo_conflict="the issue already has that mechanism",
            related=("mechanism",),
            heading="Coverage",
            summary=_coverage_summary,
        )
    )
    issue_part_register(
        IssuePart(
            key="gaps",
            order=30,
            model=Gap,
            duplicate_of="type",
            kept_back=lambda gap: f"the {gap.get_type_display().lower()} (the survivor has one)",
            undo_conflict="the issue already has that type of gap",
            heading="Gaps",
            summary=_gaps_summary,
        )
    )
