"""The parts of an issue that move when it is merged: the extension point through which the rooms
above have their records about an issue follow a merge, and come back when it is undone.

A part is a model with a foreign key ``issue``. Merging moves a duplicate's rows to the survivor
unless the survivor already has the same one (``duplicate_of``: the answer a source cites, the
mechanism of a coverage row, the type of a gap), which stays with the duplicate and is named in
the plan (``kept_back``). A part the survivor may have only one of (``duplicate_of`` is None,
such as an item without consensus about the issue) refuses the merge when both have one
(``conflict``). Undoing the merge moves every row back that the issue does not have again since.
``IssueMerge.moved`` records the moved rows under each part's ``key``.

A room adds its parts in its ``AppConfig.ready`` with ``issue_part_register``. Parts today, by
order: sources (10, this room); coverage (20) and gaps (30, the mechanisms room); the item
without consensus (40, the consensus room).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from issues.models import IssueSource


@dataclass(frozen=True)
class IssuePart:
    """Rows of one model that belong to an issue and follow it when it is merged."""

    key: str
    order: int
    model: type[models.Model]
    # The field whose value makes a row a duplicate of one of the survivor's; None when an issue
    # has at most one such row.
    duplicate_of: str | None = None
    # What the merge plan says of a row that stays because the survivor already has it.
    kept_back: Callable[[Any], str] | None = None
    # Why a row cannot move back when the merge is undone ("the issue already has that ...").
    undo_conflict: str = ""
    # For a part the survivor may have only one of: what both issues have, refusing the merge.
    conflict: str = ""
    # Related records the plan shows with each row (select_related).
    related: Sequence[str] = ()
    # The heading of the part's column on the merge page, and what it shows of the moved rows;
    # no heading: not shown.
    heading: str = ""
    summary: Callable[[list], str] | None = None


_PARTS: dict[str, IssuePart] = {}


def issue_part_register(part: IssuePart) -> None:
    """Have a part follow every merge (again under the same key: replace it)."""
    _PARTS[part.key] = part


def issue_parts() -> list[IssuePart]:
    """The registered parts, in the order a merge moves them."""
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.key))


issue_part_register(
    IssuePart(
        key="sources",
        order=10,
        model=IssueSource,
        duplicate_of="answer_id",
        kept_back=lambda source: (
            f"the source from {source.answer.respondent} (the survivor already cites it)"
        ),
        undo_conflict="the issue already cites that answer",
        related=("answer__respondent",),
        heading="Sources",
        summary=lambda rows: str(len(rows)),
    )
)
