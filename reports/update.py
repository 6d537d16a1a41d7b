"""The update report's generator: the map's totals at the report's moment, and what changed
between the previous report's moment and its own.

A report's moment is the end of its date of issue, or the moment it was sent if that was
earlier. ``update_report_compose`` reads the map once, as it stood then (from the change
history, django-simple-history; the live tables when the moment is now), and returns plain data
(JSON-ready), which the formatters (templates ``reports/report_body.{txt,html}``, the e-mails)
render and which a sent report keeps frozen. Changes compare each record changed in between as
it stood at the two moments, so an issue added and withdrawn again in between shows as neither.

The content also holds what a Chair reads a report for: progress against the terms of
reference per cluster (``_progress``), the period's changes counted by cluster, the items still
without consensus with their options, the proposals awaiting review, the next deadlines and the
coordinators, each read as it stood at the report's moment.

Lists of changes are cut at ``CHANGE_LIST_LIMIT`` entries (the message shows fewer, see the
templates); their counts are always exact, and the full list is the report's changes page
(``changes_full``).
"""

import datetime
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from consensus.models import ConsensusItem, Decision, Option, Proposal
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism, short_name
from reports.models import Deliverable, Report
from wgec.documents.history import rows_as_of
from wgec.languages import english
from wgec.models import Meeting, Participant

CHANGE_LIST_LIMIT = 100
# Items without consensus and proposals awaiting review named in a report (the counts are
# complete; the rest are on the site).
OPEN_LIST_LIMIT = 10
# Deadlines shown: the next deliverables due after the date of issue, and the next meeting.
DEADLINE_LIMIT = 5

# A greeting opening the introduction ("Dear Chair,", "Dear Mr. Major, dear colleagues,",
# "Excellency:"): the message greets its reader itself. Only up to the first comma, colon or
# exclamation mark, so that "To date, ..." or "Hi-tech ..." are never taken for one.
_GREETING = re.compile(
    r"\A\s*(?:dear|(?:your\s+)?excellency|m(?:r|s|rs|adam)\.?\s+chair\w*)"
    r"(?:[ \t][^\n,:!;]{0,60})?[ \t]*(?:[,:!]|\n|\Z)\s*",
    re.IGNORECASE,
)


def previous_report(deliverable: Deliverable) -> Report | None:
    """The last report sent before this deliverable's (the one changes are counted from)."""
    reports = Report.objects.sent().exclude(deliverable=deliverable).select_related("deliverable")
    this = getattr(deliverable, "report", None)
    if this is not None and this.composed_at:
        reports = reports.filter(composed_at__lt=this.composed_at)
    return reports.order_by("-composed_at").first()


@english
def update_report_compose(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date | None = None,
    moment: datetime.datetime | None = None,
    now: datetime.datetime,
) -> dict:
    """The content of the deliverable's report, dated ``issued_on``, showing the map as of
    ``moment`` (None: as it stands ``now``). ``now`` is the moment it is composed, recorded as
    ``composed_at`` when no ``moment`` is given: the caller reads the clock (a send, a preview),
    composing never does."""
    issued_on = issued_on or deliverable.prepared_issued_on(now)
    previous = previous_report(deliverable)
    since = previous.composed_at if previous else None
    changes = _changes(since, moment, CHANGE_LIST_LIMIT)
    totals, progress = _totals(moment)
    return {
        "title": deliverable.title,
        "slug": deliverable.slug,
        "kind": deliverable.kind,
        "kind_label": str(deliverable.get_kind_display()),
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
        "introduction": introduction_without_greeting(introduction),
        "totals": totals,
        "progress": progress,
        "changes": changes,
        "changes_by_cluster": changes.pop("by_cluster"),
        "open_items": _open_items(moment),
        "proposals": _pending_proposals(moment),
        "deadlines": _deadlines(deliverable, issued_on, moment),
        "coordinators": _coordinators(moment),
        "limit": CHANGE_LIST_LIMIT,
    }


def introduction_without_greeting(introduction: str) -> str:
    """The coordinators' introduction without a greeting of its own on its first line: the
    message greets each reader ("Dear Chair," or by name), and a greeting inside the body would
    be read twice by the Chair and wrongly by everyone else."""
    text = introduction.strip()
    while match := _GREETING.match(text):
        text = text[match.end() :]
    return text.strip()


def changes_full(since: datetime.datetime | None, moment: datetime.datetime | None) -> dict:
    """Every change between the two moments (no list cut), with the counts by cluster: the
    page the report's message links to."""
    return _changes(since, moment, limit=None)


def content_fingerprint(content: dict) -> str:
    """Identifies what a preview showed, ignoring the moment it was composed."""
    stable = {key: value for key, value in content.items() if key != "composed_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:32]


# Totals --------------------------------------------------------------------------------------


def _totals(moment: datetime.datetime | None) -> tuple[dict, dict]:
    """The map's totals, and the progress against the terms of reference by cluster."""
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
    unknown: set[int] = set()
    for issue_id, status in (
        rows_as_of(Coverage, moment).values_list("issue_id", "status").iterator(chunk_size=10000)
    ):
        if issue_id in on_map:
            statuses[status] += 1
            covered.add(issue_id)
            if status == Coverage.Status.UNKNOWN:
                unknown.add(issue_id)
    gaps: Counter = Counter()
    with_gaps: set[int] = set()
    for issue_id, gap_type in (
        rows_as_of(Gap, moment).values_list("issue_id", "type").iterator(chunk_size=10000)
    ):
        if issue_id in on_map:
            gaps[gap_type] += 1
            with_gaps.add(issue_id)
    items = dict(
        rows_as_of(ConsensusItem, moment).values_list("state").annotate(n=models.Count("id"))
    )
    totals = {
        "issues_on_map": states.get(Issue.State.ON_MAP, 0),
        "issues_proposed": states.get(Issue.State.PROPOSED, 0),
        "issues_by_cluster": [
            {"cluster": name, "count": by_cluster.get(pk, 0)} for pk, _, name in clusters
        ],
        "issues_without_mechanism": len(on_map) - len(covered),
        "mechanisms": rows_as_of(Mechanism, moment).count(),
        "coverage_by_status": [
            {"status": value, "label": str(label), "count": statuses.get(value, 0)}
            for value, label in Coverage.Status.choices
        ],
        "gaps_by_type": [
            {"type": value, "label": str(label), "count": gaps.get(value, 0)}
            for value, label in Gap.Type.choices
        ],
        "without_consensus": items.get(ConsensusItem.State.OPEN, 0),
        "referred": items.get(ConsensusItem.State.REFERRED, 0),
        "decisions": items.get(ConsensusItem.State.DECIDED, 0),
    }
    return totals, _progress(on_map, clusters, covered, unknown, with_gaps)


# What the terms of reference ask of each issue (paragraph 3): that the group review it, identify
# the mechanisms addressing it, record how well each does, and name its gaps.
# Stored in English with the report; its messages translate them for each reader.
PROGRESS_MEASURES = [
    ("reviewed", gettext_noop("Reviewed"), gettext_noop("a mechanism or a gap recorded")),
    (
        "mechanism",
        gettext_noop("Mechanisms identified"),
        gettext_noop("at least one mechanism recorded"),
    ),
    ("status", gettext_noop("Status recorded"), gettext_noop("every mechanism's status known")),
    ("gaps", gettext_noop("Gaps named"), gettext_noop("at least one gap named")),
]


def _progress(
    on_map: dict[int, int],
    clusters: list[tuple],
    covered: set[int],
    unknown: set[int],
    with_gaps: set[int],
) -> dict:
    """For each cluster (in the map's order) and for the whole map: how many of its issues
    are reviewed, have a mechanism, have every status known, have a gap named."""
    members: dict[int | None, list[int]] = defaultdict(list)
    for issue_id, cluster_id in on_map.items():
        members[cluster_id].append(issue_id)
    reviewed = covered | with_gaps
    known = covered - unknown

    def row(name: str, issues: list[int]) -> dict:
        ids = set(issues)
        counts = {
            "reviewed": len(ids & reviewed),
            "mechanism": len(ids & covered),
            "status": len(ids & known),
            "gaps": len(ids & with_gaps),
        }
        return {
            "cluster": name,
            "issues": len(ids),
            "measures": [
                {
                    "key": key,
                    "label": str(label),
                    "count": counts[key],
                    "percent": round(100 * counts[key] / len(ids)) if ids else 0,
                }
                for key, label, _ in PROGRESS_MEASURES
            ],
        }

    return {
        "measures": [
            {"key": key, "label": str(label), "meaning": meaning}
            for key, label, meaning in PROGRESS_MEASURES
        ],
        "clusters": [row(name, members.get(pk, [])) for pk, _, name in clusters],
        "total": row("All clusters", list(on_map)),
    }


# Changes -------------------------------------------------------------------------------------


def _listing(items: list[dict], limit: int | None) -> dict:
    return {"count": len(items), "items": items if limit is None else items[:limit]}


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


def _changes(
    since: datetime.datetime | None,
    moment: datetime.datetime | None,
    limit: int | None,
) -> dict:
    titles = {}
    issue_cluster = {}
    merged_into = {}
    for pk, title, cluster_id, into in (
        rows_as_of(Issue, moment)
        .values_list("id", "title", "cluster_id", "merged_into_id")
        .iterator(chunk_size=5000)
    ):
        titles[pk] = title
        issue_cluster[pk] = cluster_id
        if into:
            merged_into[pk] = into
    cluster_rows = sorted(
        rows_as_of(Cluster, moment).values_list("position", "name", "id"),
    )
    clusters = {pk: name for _, name, pk in cluster_rows}

    def cluster_of(issue_id: int | None) -> str:
        """The cluster of the issue, or of the issue it was merged into (a raw wording has
        none of its own)."""
        cluster_id = issue_cluster.get(issue_id) or issue_cluster.get(merged_into.get(issue_id))
        return clusters.get(cluster_id, "")

    mechanisms = {
        pk: (name, acronym)
        for pk, name, acronym in rows_as_of(Mechanism, moment).values_list("id", "name", "acronym")
    }

    def short(mechanism_id: int) -> str:
        return short_name(*mechanisms.get(mechanism_id, ("", "")))

    before, after = _snapshots(
        Issue, ["title", "cluster_id", "state", "merged_into_id"], since, moment
    )

    def entered(state: str) -> list[dict]:
        rows = [
            {
                "id": pk,
                "title": title,
                "cluster": cluster_of(pk),
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
    added, merged, withdrawn = (
        entered(state) for state in (Issue.State.ON_MAP, Issue.State.MERGED, Issue.State.WITHDRAWN)
    )
    coverage, coverage_removed = _coverage_changes(since, moment, titles, short, cluster_of)
    gaps, gaps_removed = _gap_changes(since, moment, titles, cluster_of)
    # Details follow the summary: cluster by cluster in the map's order (a stable sort keeps
    # each cluster's rows in their own order), changes outside any cluster last.
    cluster_order = {name: index for index, (_, name, _) in enumerate(cluster_rows)}
    for rows in (added, merged, withdrawn, coverage, coverage_removed, gaps, gaps_removed):
        rows.sort(key=lambda row: cluster_order.get(row["cluster"], len(cluster_order)))
    return {
        "issues_added": _listing(added, limit),
        "issues_merged": _listing(merged, limit),
        "issues_withdrawn": _listing(withdrawn, limit),
        "mechanisms_added": _listing(added_mechanisms, limit),
        "coverage_changes": {
            **_listing(coverage, limit),
            "removed": _listing(coverage_removed, limit),
        },
        "gap_changes": {**_listing(gaps, limit), "removed": _listing(gaps_removed, limit)},
        "referrals": _listing(_referrals(since, moment, titles, short), limit),
        "decisions": _listing(_decisions(since, moment, titles, short), limit),
        "by_cluster": _changes_by_cluster(
            order=list(cluster_order),
            counted={
                "issues_added": added,
                "issues_merged": merged,
                "issues_withdrawn": withdrawn,
                "coverage": coverage + coverage_removed,
                "gaps": gaps + gaps_removed,
            },
        ),
    }


def _changes_by_cluster(*, order: list[str], counted: dict[str, list[dict]]) -> list[dict]:
    """How many changes of each kind touched each cluster, clusters in the map's order, those
    without a change left out; changes outside any cluster last, as "No cluster"."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for kind, rows in counted.items():
        for row in rows:
            counts[row["cluster"]][kind] += 1
    names = [name for name in order if name in counts]
    if "" in counts:
        names.append("")
    return [
        {
            "cluster": name or "No cluster",
            **{kind: counts[name][kind] for kind in counted},
            "total": sum(counts[name].values()),
        }
        for name in names
    ]


def _status_label(value: str | None) -> str:
    return str(Coverage.Status(value).label) if value else ""


def _coverage_changes(
    since, moment, titles: dict, short: Callable[[int], str], cluster_of: Callable
) -> tuple[list[dict], list[dict]]:
    before, after = _snapshots(Coverage, ["issue_id", "mechanism_id", "status"], since, moment)
    changed = []
    for pk, (issue_id, mechanism_id, status) in after.items():
        old = before.get(pk)
        if old is None or old[2] != status:
            changed.append(
                {
                    "issue_id": issue_id,
                    "issue": titles.get(issue_id, ""),
                    "cluster": cluster_of(issue_id),
                    "mechanism": short(mechanism_id),
                    "before": _status_label(old[2]) if old else "",
                    "after": _status_label(status),
                }
            )
    changed.sort(key=lambda row: (row["issue"], row["mechanism"]))
    removed = sorted(
        (
            {
                "issue_id": issue_id,
                "issue": titles.get(issue_id, ""),
                "cluster": cluster_of(issue_id),
                "mechanism": short(mechanism_id),
                "before": _status_label(status),
            }
            for pk, (issue_id, mechanism_id, status) in before.items()
            if pk not in after
        ),
        key=lambda row: (row["issue"], row["mechanism"]),
    )
    return changed, removed


def _gap_changes(since, moment, titles: dict, cluster_of: Callable) -> tuple[list, list]:
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
                    "issue_id": issue_id,
                    "issue": titles.get(issue_id, ""),
                    "cluster": cluster_of(issue_id),
                    "type": str(Gap.Type(gap_type).label),
                    "change": "added" if old is None else "changed",
                    "description": description,
                    "recommendation": recommendation,
                    "_order": order[gap_type],
                }
            )
    changed.sort(key=lambda row: (row["issue"], row.pop("_order")))
    removed = sorted(
        (
            {
                "issue_id": issue_id,
                "issue": titles.get(issue_id, ""),
                "cluster": cluster_of(issue_id),
                "type": str(Gap.Type(gap_type).label),
            }
            for pk, (issue_id, gap_type, _, _) in before.items()
            if pk not in after
        ),
        key=lambda row: (row["issue"], row["type"]),
    )
    return changed, removed


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


def _referrals(since, moment, titles: dict, short) -> list[dict]:
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
    return rows


def _decisions(since, moment, titles: dict, short) -> list[dict]:
    before, after = _snapshots(
        Decision, ["item_id", "option_id", "text", "meeting_id", "decided_on"], since, moment
    )
    new = {pk: row for pk, row in after.items() if pk not in before}
    if not new:
        return []
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
    return rows


# What remains open, and what comes next ------------------------------------------------------


def _open_items(moment: datetime.datetime | None) -> dict:
    """Items without consensus at the moment (still open, or referred and awaiting the working
    group's decision), the first ``OPEN_LIST_LIMIT`` with their options."""
    rows = list(
        rows_as_of(ConsensusItem, moment)
        .filter(state__in=[ConsensusItem.State.OPEN, ConsensusItem.State.REFERRED])
        .order_by("state", "id")
        .values_list("id", "issue_id", "coverage_id", "summary", "state", "referred_on")
    )
    shown = rows[:OPEN_LIST_LIMIT]
    coverage = {
        pk: (issue_id, mechanism_id)
        for pk, issue_id, mechanism_id in rows_as_of(Coverage, moment)
        .filter(id__in=[row[2] for row in shown if row[2]])
        .values_list("id", "issue_id", "mechanism_id")
    }
    issue_ids = {row[1] for row in shown if row[1]} | {pair[0] for pair in coverage.values()}
    titles = dict(rows_as_of(Issue, moment).filter(id__in=issue_ids).values_list("id", "title"))
    mechanisms = {
        pk: short_name(name, acronym)
        for pk, name, acronym in rows_as_of(Mechanism, moment)
        .filter(id__in=[pair[1] for pair in coverage.values()])
        .values_list("id", "name", "acronym")
    }
    options: dict[int, list[dict]] = defaultdict(list)
    for item_id, label, text in (
        rows_as_of(Option, moment)
        .filter(item_id__in=[row[0] for row in shown])
        .order_by("item_id", "label")
        .values_list("item_id", "label", "text")
    ):
        options[item_id].append({"label": str(label), "text": text})
    items = []
    for pk, issue_id, coverage_id, summary, _state, referred_on in shown:
        if not issue_id:
            issue_id, mechanism_id = coverage.get(coverage_id, (None, None))
            subject = f"{titles.get(issue_id, '')}: status of {mechanisms.get(mechanism_id, '')}"
        else:
            subject = titles.get(issue_id, "")
        items.append(
            {
                "id": pk,
                "issue_id": issue_id,
                "subject": subject,
                "summary": summary,
                "referred_on": referred_on.isoformat() if referred_on else None,
                "options": options.get(pk, []),
            }
        )
    referred = sum(1 for row in rows if row[4] == ConsensusItem.State.REFERRED)
    return {
        "count": len(rows),
        "open": len(rows) - referred,
        "referred": referred,
        "items": items,
    }


def _pending_proposals(moment: datetime.datetime | None) -> dict:
    """Members' proposals awaiting a coordinator's review at the moment: counts by kind and
    the oldest ``OPEN_LIST_LIMIT``."""
    pending = rows_as_of(Proposal, moment).filter(state=Proposal.State.PENDING)
    by_kind = dict(pending.values_list("kind").annotate(n=models.Count("id")))
    oldest = list(
        pending.order_by("created_at", "id").values_list(
            "id", "kind", "title", "issue_id", "created_at"
        )[:OPEN_LIST_LIMIT]
    )
    titles = dict(
        rows_as_of(Issue, moment)
        .filter(id__in=[row[3] for row in oldest if row[3]])
        .values_list("id", "title")
    )
    return {
        "count": sum(by_kind.values()),
        "by_kind": [
            {"kind": value, "label": str(label), "count": by_kind[value]}
            for value, label in Proposal.Kind.choices
            if by_kind.get(value)
        ],
        "items": [
            {
                "kind": str(Proposal.Kind(kind).label),
                "subject": title if kind == Proposal.Kind.ISSUE else titles.get(issue_id, ""),
                "proposed_on": timezone.localdate(created_at).isoformat(),
            }
            for _, kind, title, issue_id, created_at in oldest
        ],
    }


# What each kind of deliverable brings the Chair (terms of reference, paragraphs 3 and 4).
EXPECTED = {
    Deliverable.Kind.UPDATE_REPORT: "the progress of the map since the previous report",
    Deliverable.Kind.INITIAL_OUTPUT: "a draft of the map, with what remains to be done",
    Deliverable.Kind.FINAL_DOCUMENT: (
        "the map as the correspondence group submits it to the working group"
    ),
}


def _deadlines(
    deliverable: Deliverable, issued_on: datetime.date, moment: datetime.datetime | None
) -> list[dict]:
    """The next deliverables due and the next meeting of the working group after the date of
    issue, as scheduled at the moment, soonest first."""
    upcoming = [
        {
            "date": due_date.isoformat(),
            "end_date": None,
            "title": title,
            "expected": EXPECTED.get(kind, ""),
        }
        for title, kind, due_date in rows_as_of(Deliverable, moment)
        .exclude(id=deliverable.pk)
        .exclude(state=Deliverable.State.SENT)
        .filter(due_date__gte=issued_on)
        .order_by("due_date", "id")
        .values_list("title", "kind", "due_date")[:DEADLINE_LIMIT]
    ]
    upcoming += [
        {
            "date": start.isoformat(),
            "end_date": end.isoformat() if end != start else None,
            "title": f"{title} of the working group",
            "expected": venue,
        }
        for title, start, end, venue in rows_as_of(Meeting, moment)
        .filter(start_date__gt=issued_on)
        .order_by("start_date", "id")
        .values_list("title", "start_date", "end_date", "venue")[:1]
    ]
    upcoming.sort(key=lambda row: row["date"])
    return upcoming


def _coordinators(moment: datetime.datetime | None) -> list[str]:
    """The correspondence group's coordinators at the moment, as the report is signed."""
    return [
        f"{honorific} {name}".strip()
        for honorific, name in rows_as_of(Participant, moment)
        .filter(role=Participant.Role.COORDINATOR)
        .order_by("id")
        .values_list("honorific", "name")
    ]
