"""The change history shown on an issue's page, and how the rooms above add theirs to it.

The history gathers the changes of the issue itself and of the records other rooms keep about it
(its coverage and gaps). Each is a ``HistorySource``: the historical rows (django-simple-history)
about one issue, the fields compared, and how an entry names its subject. A room adds its own in
its ``AppConfig.ready`` with ``issue_history_source_register``; ``issue_history`` reads every
source (one query each, plus the names of related records) and keeps the latest entries.

Sources today, by order: the issue (10, this room); its coverage (20) and gaps (30, the
mechanisms room).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from issues.issue_page import IssuePage
from issues.models import Issue
from wgec.documents.history import Entry, historical_rows, history_entries


@dataclass(frozen=True)
class HistorySource:
    """Historical rows about an issue, compared field by field."""

    name: str
    order: int
    rows: Callable[[Issue], QuerySet]
    fields: Sequence[str]
    subject: Callable[[Any, dict[str, str]], str]
    # Names of related records the issue's page has already read, by field (the issue's
    # cluster, the mechanisms of its coverage): only the others are read again.
    known: Callable[[IssuePage], dict[str, dict[int, str]]] = lambda page: {}


_SOURCES: dict[str, HistorySource] = {}


def issue_history_source_register(source: HistorySource) -> None:
    """Show a source's changes in every issue's history (again under the same name: replace
    it)."""
    _SOURCES[source.name] = source


def issue_history(issue: Issue, limit: int = 50, *, page: IssuePage | None = None) -> list[Entry]:
    """The latest changes of the issue and of what the rooms record about it, newest first
    (on the issue's page, naming related records from what the page has read)."""
    entries: list[Entry] = []
    for source in sorted(_SOURCES.values(), key=lambda source: (source.order, source.name)):
        entries += history_entries(
            source.rows(issue).select_related("history_user__participant"),
            fields=source.fields,
            subject=source.subject,
            known=source.known(page) if page is not None else None,
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


issue_history_source_register(
    HistorySource(
        name="issue",
        order=10,
        rows=lambda issue: historical_rows(Issue).filter(id=issue.pk),
        fields=["title", "cluster", "description", "state", "merged_into", "consensus"],
        subject=lambda row, shown: gettext("the issue"),
        known=lambda page: {
            "cluster": (
                {page.issue.cluster_id: str(page.issue.cluster)} if page.issue.cluster_id else {}
            ),
            "merged_into": (
                {page.issue.merged_into_id: str(page.issue.merged_into)}
                if page.issue.merged_into_id
                else {}
            ),
        },
    )
)
