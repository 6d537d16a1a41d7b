"""The map workbook of DESIGN.md: its sheets, their columns, and the rows the map gives them.

``map_workbook_sheets()`` returns ``(sheet name, headers, rows)`` for the sheets Issues,
Mechanisms and Coverage, ready for ``wgec.spreadsheets.xlsx_bytes``. Rows are generated lazily
and read in chunks, so that 200,000 coverage rows never sit in memory as model instances.

Values are written as a person reads them: choices by their label (``On the map``,
``Partly addressing``), gap types by their label separated by ``;``; several gaps of one issue
one per line, each led by its type.
"""

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet

from issues.models import Issue
from mechanisms.models import Coverage, Gap, Mechanism

ISSUES_SHEET = "Issues"
MECHANISMS_SHEET = "Mechanisms"
COVERAGE_SHEET = "Coverage"

ISSUE_COLUMNS = [
    "Issue ID",
    "Title",
    "Cluster",
    "Description",
    "State",
    "Merged into",
    "Consensus",
    "Gap types",
    "Gaps",
    "Recommendation",
]
MECHANISM_COLUMNS = ["Mechanism ID", "Name", "Acronym", "Kind", "Website"]
COVERAGE_COLUMNS = ["Issue ID", "Mechanism ID", "Status", "Evidence"]

CHUNK = 2000

Sheet = tuple[str, Sequence[str], Iterator[Sequence[object]]]


def map_workbook_sheets(issues: QuerySet[Issue] | None = None) -> list[Sheet]:
    """The three sheets of the map workbook for ``issues`` (default: every issue)."""
    issues = Issue.objects.all() if issues is None else issues
    return [
        (ISSUES_SHEET, ISSUE_COLUMNS, issue_rows(issues)),
        (MECHANISMS_SHEET, MECHANISM_COLUMNS, mechanism_rows()),
        (COVERAGE_SHEET, COVERAGE_COLUMNS, coverage_rows(issues)),
    ]


def _gaps_by_issue(issue_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    gaps: dict[int, list[tuple[str, str, str]]] = {}
    rows = Gap.objects.filter(issue_id__in=issue_ids).order_by("issue_id", "type")
    for issue_id, gap_type, description, recommendation in rows.values_list(
        "issue_id", "type", "description", "recommendation"
    ):
        gaps.setdefault(issue_id, []).append((gap_type, description, recommendation))
    return gaps


def _led_by_type(gaps: list[tuple[str, str, str]], index: int) -> str:
    lines = []
    for gap in gaps:
        text = gap[index].strip()
        if text:
            lines.append(f"{Gap.Type(gap[0]).label}: {text}" if len(gaps) > 1 else text)
    return "\n".join(lines)


def issue_rows(issues: QuerySet[Issue]) -> Iterator[list[object]]:
    states = dict(Issue.State.choices)
    consensus = dict(Issue.Consensus.choices)
    rows = issues.order_by("pk").values_list(
        "pk",
        "title",
        "cluster__name",
        "description",
        "state",
        "merged_into_id",
        "consensus",
    )
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _issue_chunk(chunk, states, consensus)
            chunk = []
    if chunk:
        yield from _issue_chunk(chunk, states, consensus)


def _issue_chunk(chunk: list[tuple], states: dict, consensus: dict) -> Iterator[list[object]]:
    gaps = _gaps_by_issue([row[0] for row in chunk])
    for pk, title, cluster, description, state, merged_into, agreement in chunk:
        issue_gaps = gaps.get(pk, [])
        yield [
            pk,
            title,
            cluster or "",
            description,
            states[state],
            merged_into or "",
            consensus[agreement],
            "; ".join(Gap.Type(gap[0]).label for gap in issue_gaps),
            _led_by_type(issue_gaps, 1),
            _led_by_type(issue_gaps, 2),
        ]


def mechanism_rows() -> Iterator[list[object]]:
    kinds = dict(Mechanism.Kind.choices)
    rows = Mechanism.objects.order_by("pk").values_list("pk", "name", "acronym", "kind", "website")
    for pk, name, acronym, kind, website in rows.iterator(chunk_size=CHUNK):
        yield [pk, name, acronym, kinds[kind], website]


def coverage_rows(issues: QuerySet[Issue]) -> Iterator[list[object]]:
    statuses = dict(Coverage.Status.choices)
    rows = (
        Coverage.objects.filter(issue__in=issues.values("pk"))
        .order_by("issue_id", "mechanism_id")
        .values_list("issue_id", "mechanism_id", "status", "evidence")
    )
    for issue_id, mechanism_id, status, evidence in rows.iterator(chunk_size=CHUNK):
        yield [issue_id, mechanism_id, statuses[status], evidence]
