"""The map workbook's sheets and columns, and how their values are written and read.

Values are written as the labels people read, and read as labels, stored values or short forms,
case-insensitively (``On the map``, ``on_map``; ``Partly addressing``, ``partly``).

Gaps live in three columns of the Issues sheet: ``Gap types`` lists them (``Policy; Capacity``),
``Gaps`` and ``Recommendation`` hold one paragraph per gap, each starting with its type
(``Policy: No forum addresses ...``).
"""

import re
from typing import Any

from django.db.models import TextChoices

from issues.models import Issue
from mechanisms.models import Coverage, Gap, Mechanism

ISSUES, MECHANISMS, COVERAGE = "Issues", "Mechanisms", "Coverage"

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

SHEET_COLUMNS = {ISSUES: ISSUE_COLUMNS, MECHANISMS: MECHANISM_COLUMNS, COVERAGE: COVERAGE_COLUMNS}

# The columns a sheet must have to be read (the others may be left out of a hand-made file).
REQUIRED_COLUMNS = {
    ISSUES: ["Issue ID", "Title"],
    MECHANISMS: ["Mechanism ID", "Name"],
    COVERAGE: ["Issue ID", "Mechanism ID", "Status"],
}


def gap_type_name(value: str) -> str:
    """The short name of a gap type as the workbook writes it: Policy, Knowledge ..."""
    return value.capitalize()


def choice_lookup(choices: type[TextChoices], *extra: tuple[str, str]) -> dict[str, str]:
    """Every way a choice may be written, folded, mapped to its stored value."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        for form in (value, label, value.replace("_", " ")):
            table[fold(form)] = value
    for form, value in extra:
        table[fold(form)] = value
    return table


def fold(text: Any) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


STATE_VALUES = choice_lookup(Issue.State, ("on map", Issue.State.ON_MAP))
CONSENSUS_VALUES = choice_lookup(
    Issue.Consensus,
    ("referred", Issue.Consensus.REFERRED),
    ("decided", Issue.Consensus.DECIDED),
)
KIND_VALUES = choice_lookup(Mechanism.Kind)
STATUS_VALUES = choice_lookup(
    Coverage.Status,
    ("partly", Coverage.Status.PARTLY),
    ("partial", Coverage.Status.PARTLY),
    ("not addressed", Coverage.Status.NOT_ADDRESSING),
    ("none", Coverage.Status.NOT_ADDRESSING),
)
GAP_TYPE_VALUES = choice_lookup(Gap.Type)

_GAP_PREFIX = re.compile(
    r"^\s*(" + "|".join(Gap.Type.values) + r")(?:\s+gap)?\s*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def split_by_gap_type(text: str) -> tuple[str, dict[str, str]]:
    """Split a Gaps or Recommendation cell into (text before any type, {type: text})."""
    parts = _GAP_PREFIX.split(text or "")
    lead = parts[0].strip()
    found: dict[str, str] = {}
    for index in range(1, len(parts), 2):
        found[parts[index].lower()] = parts[index + 1].strip()
    return lead, found
