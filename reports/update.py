"""The update report's generator: the map's totals at the report's moment, and what changed
between the previous report's moment and its own.

A report's moment is the end of its date of issue, or the moment it was sent if that was
earlier. ``update_report_compose`` reads the map once, as it stood then (from the change
history, django-simple-history; the live tables when the moment is now), and returns plain data
(JSON-ready), which the formatters (templates ``reports/report_body.{txt,html}``, the e-mails)
render and which a sent report keeps frozen. Changes compare each record changed in between as
it stood at the two moments, so an issue added and withdrawn again in between shows as neither.

Lists of changes are cut at ``CHANGE_LIST_LIMIT`` entries; their counts are always exact.
"""

import datetime
import hashlib
import json
from collections import Counter
from collections.abc import Callable

from django.db import models
from django.utils import timezone

from consensus.models import ConsensusItem, Decision, Option
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Deliverable, Report
from wgec.documents.history import rows_as_of
from wgec.models import Meeting

CHANGE_LIST_LIMIT = 100


def previous_report(deliverable: Deliverable) -> Report | None:
    """The last report sent before this deliverable's (the one changes are counted from)."""
    reports = Report.objects.sent().exclude(deliverable=deliverable).select_related("deliverable")
    this = getattr(deliverable, "report", None)
    if this is not None and this.composed_at:
        reports = reports.filter(composed_at__lt=this.composed_at)
    return reports.order_by("-composed_at").first()


def update_report_compose(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date | None = None,
    moment: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """The content of the deliverable's report, dated ``issued_on``, showing the map as of
    ``moment`` (None: as it stands ``now``)."""
    now = now or timezone.now()
    issued_on = issued_on or timezone.localdate(now)
    previous = previous_report(deliverable)
    since = previous.composed_at if previous else None
    return {
        "title": deliverable.title,
        "slug": deliverable.slug,
        "kind": deliverable.kind,
        "kind_label": deliverable.get_kind_display(),
        "due_date": deliverable.due_date.isoformat(),
        "issued_on": issued_on.isoformat(),
        "composed_at": (moment or now).isoformat(),
        "since": since.isoformat() if since else None,
        "previous": (
            {
                "title": previous.deliverable.title,
                "slug": previous.deliverable.slug,
                "issued_on": previous.issued_on.isoformat() if previous.issued_on else None,
            }
            if previous
            else None
        ),
        "introduction": introduction.strip(),
        "totals": _totals(moment),
        "changes": _changes(since, moment),
        "limit": CHANGE_LIST_LIMIT,
    }


def content_fingerprint(content: dict) -> str:
    """Identifies what a preview showed, ignoring the moment it was composed."""
    stable = {key: value for key, value in content.items() if key != "composed_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:32]


# Totals --------------------------------------------------------------------------------------


def _totals(moment: datetime.datetime | None) -> dict:
    states = dict(rows_as_of(Issue, moment).values_list("state").annotate(n=models.Count("id")))
    on_map = dict(
        rows_as_of(Issue, moment)
        .filter(state=Issue.State.ON_MAP)
        .values_list("id", "cluster_id")
        .iterator(chunk_size=5000)
    )
    by_cluster = Counter(on_map.values())
    clusters = sorted(
        rows_as_of(Cluster, moment).values_list("id", "position", "name"),
        key=lambda row: (row[1], row[2]),
    )
    statuses: Counter = Counter()
    covered: set[int] = set()
    for issue_id, status in (
        rows_as_of(Coverage, moment).values_list("issue_id", "status").iterator(chunk_size=10000)
    ):
        if issue_id in on_map:
            statuses[status] += 1
            covered.add(issue_id)
    gaps = Counter(
        gap_type
        for issue_id, gap_type in rows_as_of(Gap, moment)
        .values_list("issue_id", "type")
        .iterator(chunk_size=10000)
        if issue_id in on_map
    )
    items = dict(
        rows_as_of(ConsensusItem, moment).values_list("state").annotate(n=models.Count("id"))
    )
    return {
        "issues_on_map": states.get(Issue.State.ON_MAP, 0),
        "issues_proposed": states.get(Issue.State.PROPOSED, 0),
        "issues_by_cluster": [
            {"cluster": name, "count": by_cluster.get(pk, 0)} for pk, _, name in clusters
        ],
        "issues_without_mechanism": len(on_map) - len(covered),
        "mechanisms": rows_as_of(Mechanism, moment).count(),
        "coverage_by_status": [
            {"status": value, "label": label, "count": statuses.get(value, 0)}
            for value, label in Coverage.Status.choices
        ],
        "gaps_by_type": [
            {"type": value, "label": label, "count": gaps.get(value, 0)}
            for value, label in Gap.Type.choices
        ],
        "without_consensus": items.get(ConsensusItem.State.OPEN, 0),
        "referred": items.get(ConsensusItem.State.REFERRED, 0),
        "decisions": items.get(ConsensusItem.State.DECIDED, 0),
    }


# Changes -------------------------------------------------------------------------------------


def _listing(items: list[dict]) -> dict:
    return {"count": len(items), "items": items[:CHANGE_LIST_LIMIT]}


def _snapshots(
    model: type[models.Model],
    fields: list[str],
    since: datetime.datetime | None,
    moment: datetime.datetime | None,
) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """The records changed between the two moments, as they stood at each: (before, after),
    each by id (a record absent at a moment is missing from its dictionary)."""
    history = model.history.all()
    if since is not None:
        history = history.filter(history_date__gt=since)
    if moment is not None:
        history = history.filter(history_date__lte=moment)
    touched = history.order_by().values("id")

    def read(at) -> dict[int, tuple]:
        rows = rows_as_of(model, at).filter(id__in=touched).values_list("id", *fields)
        return {row[0]: row[1:] for row in rows.iterator(chunk_size=5000)}

    return (read(since) if since is not None else {}), read(moment)


def _changes(since: datetime.datetime | None, moment: datetime.datetime | None) -> dict:
    titles = dict(rows_as_of(Issue, moment).values_list("id", "title").iterator(chunk_size=5000))
    clusters = dict(rows_as_of(Cluster, moment).values_list("id", "name"))
    mechanisms = {
        pk: (name, acronym)
        for pk, name, acronym in rows_as_of(Mechanism, moment).values_list("id", "name", "acronym")
    }

    def short(mechanism_id: int) -> str:
        name, acronym = mechanisms.get(mechanism_id, ("", ""))
        return acronym or name

    before, after = _snapshots(
        Issue, ["title", "cluster_id", "state", "merged_into_id"], since, moment
    )

    def entered(state: str) -> list[dict]:
        rows = [
            {
                "id": pk,
                "title": title,
                "cluster": clusters.get(cluster_id, ""),
                "into": titles.get(merged_into_id, "") if merged_into_id else "",
            }
            for pk, (title, cluster_id, now_state, merged_into_id) in after.items()
            if now_state == state and (pk not in before or before[pk][2] != state)
        ]
        return sorted(rows, key=lambda row: (row["title"], row["id"]))

    before_m, after_m = _snapshots(Mechanism, ["name", "acronym"], since, moment)
    added_mechanisms = sorted(
        (
            {"id": pk, "name": name, "acronym": acronym}
            for pk, (name, acronym) in after_m.items()
            if pk not in before_m
        ),
        key=lambda row: (row["name"], row["id"]),
    )
    return {
        "issues_added": _listing(entered(Issue.State.ON_MAP)),
        "issues_merged": _listing(entered(Issue.State.MERGED)),
        "issues_withdrawn": _listing(entered(Issue.State.WITHDRAWN)),
        "mechanisms_added": _listing(added_mechanisms),
        "coverage_changes": _coverage_changes(since, moment, titles, short),
        "gap_changes": _gap_changes(since, moment, titles),
        "referrals": _referrals(since, moment, titles, short),
        "decisions": _decisions(since, moment, titles, short),
    }


def _status_label(value: str | None) -> str:
    return Coverage.Status(value).label if value else ""


def _coverage_changes(since, moment, titles: dict, short: Callable[[int], str]) -> dict:
    before, after = _snapshots(Coverage, ["issue_id", "mechanism_id", "status"], since, moment)
    changed = []
    for pk, (issue_id, mechanism_id, status) in after.items():
        old = before.get(pk)
        if old is None or old[2] != status:
            changed.append(
                {
                    "issue": titles.get(issue_id, ""),
                    "mechanism": short(mechanism_id),
                    "before": _status_label(old[2]) if old else "",
                    "after": _status_label(status),
                }
            )
    changed.sort(key=lambda row: (row["issue"], row["mechanism"]))
    removed = sorted(
        (
            {
                "issue": titles.get(issue_id, ""),
                "mechanism": short(mechanism_id),
                "before": _status_label(status),
            }
            for pk, (issue_id, mechanism_id, status) in before.items()
            if pk not in after
        ),
        key=lambda row: (row["issue"], row["mechanism"]),
    )
    return {**_listing(changed), "removed": _listing(removed)}


def _gap_changes(since, moment, titles: dict) -> dict:
    before, after = _snapshots(
        Gap, ["issue_id", "type", "description", "recommendation"], since, moment
    )
    order = {value: index for index, value in enumerate(Gap.Type.values)}
    changed = []
    for pk, (issue_id, gap_type, description, recommendation) in after.items():
        old = before.get(pk)
        if old is None or old[2:] != (description, recommendation):
            changed.append(
                {
                    "issue": titles.get(issue_id, ""),
                    "type": Gap.Type(gap_type).label,
                    "change": "added" if old is None else "changed",
                    "description": description,
                    "recommendation": recommendation,
                    "_order": order[gap_type],
                }
            )
    changed.sort(key=lambda row: (row["issue"], row.pop("_order")))
    removed = sorted(
        (
            {"issue": titles.get(issue_id, ""), "type": Gap.Type(gap_type).label}
            for pk, (issue_id, gap_type, _, _) in before.items()
            if pk not in after
        ),
        key=lambda row: (row["issue"], row["type"]),
    )
    return {**_listing(changed), "removed": _listing(removed)}


def _item_subjects(moment, items: dict[int, tuple], titles: dict, short) -> dict[int, str]:
    """Each item's subject: the issue, or "issue / status of mechanism"."""
    coverage_ids = [row[1] for row in items.values() if row[1]]
    coverage = {
        pk: (issue_id, mechanism_id)
        for pk, issue_id, mechanism_id in rows_as_of(Coverage, moment)
        .filter(id__in=coverage_ids)
        .values_list("id", "issue_id", "mechanism_id")
    }
    subjects = {}
    for pk, (issue_id, coverage_id, *_rest) in items.items():
        if issue_id:
            subjects[pk] = titles.get(issue_id, "")
        else:
            covered, mechanism_id = coverage.get(coverage_id, (None, None))
            subjects[pk] = f"{titles.get(covered, '')} / status of {short(mechanism_id)}"
    return subjects


def _referrals(since, moment, titles: dict, short) -> dict:
    sent_on = {ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED}
    before, after = _snapshots(
        ConsensusItem, ["issue_id", "coverage_id", "summary", "state", "referred_on"], since, moment
    )
    new = {
        pk: row
        for pk, row in after.items()
        if row[3] in sent_on and (pk not in before or before[pk][3] not in sent_on)
    }
    subjects = _item_subjects(moment, new, titles, short)
    rows = sorted(
        (
            {
                "id": pk,
                "subject": subjects[pk],
                "summary": summary,
                "referred_on": referred_on.isoformat() if referred_on else None,
            }
            for pk, (_, _, summary, _, referred_on) in new.items()
        ),
        key=lambda row: (row["referred_on"] or "", row["id"]),
    )
    return _listing(rows)


def _decisions(since, moment, titles: dict, short) -> dict:
    before, after = _snapshots(
        Decision, ["item_id", "option_id", "text", "meeting_id", "decided_on"], since, moment
    )
    new = {pk: row for pk, row in after.items() if pk not in before}
    if not new:
        return _listing([])
    item_ids = [row[0] for row in new.values()]
    items = {
        row[0]: row[1:]
        for row in rows_as_of(ConsensusItem, moment)
        .filter(id__in=item_ids)
        .values_list("id", "issue_id", "coverage_id")
    }
    subjects = _item_subjects(moment, items, titles, short)
    options = {
        pk: (label, text)
        for pk, label, text in rows_as_of(Option, moment)
        .filter(id__in=[row[1] for row in new.values() if row[1]])
        .values_list("id", "label", "text")
    }
    meetings = dict(Meeting.objects.values_list("pk", "title"))
    rows = []
    for pk, (item_id, option_id, text, meeting_id, decided_on) in new.items():
        option = options.get(option_id)
        rows.append(
            {
                "subject": subjects.get(item_id, ""),
                "option": f"Option {option[0]}: {option[1]}" if option else "",
                "text": text,
                "meeting": meetings.get(meeting_id, ""),
                "decided_on": decided_on.isoformat(),
                "_key": (decided_on, pk),
            }
        )
    rows.sort(key=lambda row: row.pop("_key"))
    return _listing(rows)
